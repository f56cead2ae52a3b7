# Nodes: 5 Edges: 2
3 4
0 1
