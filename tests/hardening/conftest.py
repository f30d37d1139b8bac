"""Shared by the hardening tests: one extraction pipeline for all the in-process builds of a session.

``kg.build.build`` makes a new pipeline per call (about a second: the
vocabulary is loaded each time); the hardening tests build dozens of tiny
corpora, so ``fast_builds`` hands every build the same pipeline. The
pipeline keeps no state between documents, so the outputs are those of a
fresh one.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def shared_pipeline():
    from kg.extract import build_pipeline

    return build_pipeline()


@pytest.fixture
def fast_builds(monkeypatch, shared_pipeline):
    """Builds in this test reuse the session's pipeline instead of building their own."""
    import kg.extract.pipeline

    monkeypatch.setattr(kg.extract.pipeline, "build_pipeline", lambda *args, **kwargs: shared_pipeline)
