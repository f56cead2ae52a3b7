0 1 0.5 extra
