"""Extract: the spaCy pipeline that finds typed mentions, acronyms, proposals and results."""

from kg.extract.pipeline import build_pipeline, extract_papers

__all__ = ["build_pipeline", "extract_papers"]
