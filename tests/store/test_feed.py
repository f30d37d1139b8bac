"""StoreFeed: the store loaded piece by piece while the RDF file is written through it."""

import pytest

from kg.export.rdf import turtle_prefix_header, write_rdf
from kg.store.feed import FeedAborted, StoreFeed
from kg.store.oxigraph import open_store


@pytest.mark.parametrize("rdf_format, header", [("turtle", turtle_prefix_header()), ("ntriples", b"")])
@pytest.mark.parametrize("piece_bytes", [1, 700, 10**9])
def test_feed_writes_the_same_file_and_loads_the_same_store(tmp_path, corpus, store, rdf_format, header, piece_bytes):
    reference, fed = tmp_path / "reference", tmp_path / "fed"
    write_rdf(corpus, reference, format=rdf_format)
    with open(fed, "wb") as raw:
        feed = StoreFeed(raw, fed, tmp_path / "store", rdf_format, header=header, piece_bytes=piece_bytes)
        write_rdf(corpus, feed, format=rdf_format)
        feed.close()
    assert feed.result() == len(store)
    assert fed.read_bytes() == reference.read_bytes()
    assert set(open_store(tmp_path / "store")) == set(store)


def test_an_aborted_feed_builds_no_store_and_leaves_nothing_behind(tmp_path, corpus):
    path = tmp_path / "kg.ttl"
    with open(path, "wb") as raw:
        feed = StoreFeed(raw, path, tmp_path / "store", "turtle", header=turtle_prefix_header(), piece_bytes=500)
        feed.write(turtle_prefix_header())
        feed.write(b"<https://x.org/a> <https://x.org/p> <https://x.org/b> .\n" * 40)
        feed.abort()
    with pytest.raises(FeedAborted):
        feed.result()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "kg.ttl"]
