# A small directed graph with per-arc probabilities (third column, in [0, 1]).
# Nodes: 6 Edges: 8
0 1 0.5
0 2 0.25
1 2 1
1 3 0.125
2 3 0.75
3 4 0.5
4 0 0.1
4 5 0
