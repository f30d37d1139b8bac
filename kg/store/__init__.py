"""Store: the graph in an on-disk SPARQL store, named queries, and result formats.

- ``oxigraph``: build a pyoxigraph store from a corpus or an RDF file
  (``load_store``), open it (``open_store``), query it (``run_query``), or
  query any SPARQL 1.1 endpoint over HTTP (``query_endpoint``);
- ``named_queries``: the queries shipped in ``kg/queries/*.rq`` and their
  parameters;
- ``results``: ``QueryResult``, the answer of any query as Python values;
- ``formats``: a result as a text table, CSV or SPARQL JSON.
"""
