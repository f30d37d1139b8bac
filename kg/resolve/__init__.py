"""Resolve: mentions across the corpus → canonical entities with stable keys."""

from kg.resolve.resolver import fold_name, resolve_corpus, slugify

__all__ = ["fold_name", "resolve_corpus", "slugify"]
