# nothing here
% nor here

