# Nodes: 4294967295 Edges: 1
0 1
