0 1 inf
