# Nodes: 4294967296 Edges: 1
0 1
