"""Ingest: paper listings (daily-papers pages, JSON Lines, JSON) → ``Paper`` records."""

from kg.ingest.errors import InputError, ReadReport
from kg.ingest.sources import read_file, read_inputs, title_key

__all__ = ["InputError", "ReadReport", "read_file", "read_inputs", "title_key"]
