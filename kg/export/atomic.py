"""Atomic file writing: a temp file beside the target, renamed over it when complete.

A writer that fails, or a process that is killed, leaves the previous file
untouched and at most a stray ``.*.tmp`` file.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path to write; renamed over ``target`` if the block succeeds.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes files readable by their owner only; outputs get the usual mode.
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def current_umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_output(target: str | Path | IO[Any], mode: str = "w") -> Iterator[IO[Any]]:
    """An open file for ``target``: a path (written atomically, UTF-8) or an open file (used as is)."""
    if isinstance(target, (str, os.PathLike)):
        with atomic_path(target) as tmp:
            if "b" in mode:
                with open(tmp, mode) as fh:
                    yield fh
            else:
                with open(tmp, mode, encoding="utf-8", newline="\n") as fh:
                    yield fh
    else:
        yield target


def is_text_stream(target: Any) -> bool:
    """True when ``target`` is an open text stream rather than a path or binary file."""
    return isinstance(target, io.TextIOBase)
