"""Export: the graph written as RDF, GraphML, GEXF, HTML and per-paper JSON Lines."""
