"""Serve: the store as a read-only SPARQL 1.1 Protocol endpoint, on the standard library.

- ``protocol``: the protocol as pure functions (read a request, refuse
  updates, negotiate the result format);
- ``answers``: run one query on a pyoxigraph store, cut at the row cap, and
  write SPARQL JSON/XML/CSV/TSV or Turtle/N-Triples/JSON-LD;
- ``workers``: the query processes, each query killed past its time limit;
- ``server``: the HTTP routes (``/sparql``, ``/``, ``/kg.ttl``),
  ``make_server`` and ``serve``.

Typical use is ``kg serve --store outputs/store``; from Python::

    server = make_server("outputs/store", port=0, timeout_s=5)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ...  # query server.url
    server.shutdown(); server.server_close()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.serve.server import make_server, serve

__all__ = ["make_server", "serve"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import kg.serve` (and `kg --help`) stays instant.
    if name in __all__:
        from kg.serve import server

        return getattr(server, name)
    raise AttributeError(f"module 'kg.serve' has no attribute {name!r}")
