"""kg: a knowledge graph of machine-learning research, built from paper listings.

The package follows the data flow: ``ingest`` (sources → papers), ``extract``
(spaCy pipeline → mentions, results), ``resolve`` (mentions → entities),
``graph`` (the networkx model), ``export`` (RDF, GraphML, GEXF, HTML, JSON
Lines), ``store`` (SPARQL), and ``cli`` on top.
"""

__version__ = "0.1.0"
