#!/usr/bin/env python3
"""Writes the NetworkX fixtures of tests/test_labels.cpp (run from this folder; NetworkX 3.x).

people.*: a directed, weighted graph whose nodes are names (dave has no edge);
karate.*: Zachary's karate club (undirected, nodes 0..33), the same graph as data/karate.el.
"""
import networkx as nx

people = nx.DiGraph()
people.add_edge("alice", "bob", weight=0.5)
people.add_edge("bob", "carol", weight=0.25)
people.add_edge("carol", "alice", weight=1.0)
people.add_edge("alice", "Mr. Hi", weight=0.125)
people.add_node("dave")
nx.write_graphml(people, "people.graphml")
nx.write_gml(people, "people.gml")
nx.write_pajek(people, "people.net")

karate = nx.karate_club_graph()
for _, _, data in karate.edges(data=True):
    data.clear()  # networkx 3 weighs karate's edges by interactions; data/karate.el has none
nx.write_graphml(karate, "karate.graphml")
nx.write_gml(karate, "karate.gml")
