"""Errors and skip reports of the readers: every message names file and line."""

from __future__ import annotations

from dataclasses import dataclass, field


class InputError(Exception):
    """Input that cannot be read as papers, located at ``path:line``.

    >>> str(InputError("pages/a.jsonl", 3, "not JSON: Expecting value"))
    'pages/a.jsonl:3: not JSON: Expecting value'
    """

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass
class ReadReport:
    """What the readers skipped, when told to go on past bad input."""

    skipped: list[InputError] = field(default_factory=list)
    files_read: int = 0
    papers_read: int = 0
    duplicates_merged: int = 0

    def skip(self, error: InputError) -> None:
        self.skipped.append(error)
