"""Processes opening one store take turns at setting up its tables.

Opening a store makes its tables, views and search indexes (or adds what a newer version needs).
SQLite locks each statement, not the whole set-up, so two builds started at the same moment on a
store that does not exist yet would both make its search index, and the second would fail with
"table ... already exists". An advisory lock on the file (flock, which SQLite's own byte-range
locks never see) makes them take turns; the second then finds everything made.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress

try:
    import fcntl
except ImportError:  # Windows: no flock; opening a new store twice at once stays a race there
    fcntl = None  # type: ignore[assignment]


@contextmanager
def taking_turns(path: str) -> Iterator[None]:
    """Hold an exclusive advisory lock on the store's file while it is set up. Only a regular
    file (or one about to be made) is locked: a FIFO or a device is left for SQLite to refuse,
    and a file this process may not open is opened by SQLite alone, which says why."""
    handle = None
    with suppress(OSError):
        if fcntl is not None and (not os.path.exists(path) or stat.S_ISREG(os.stat(path).st_mode)):
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        if handle is not None:
            os.close(handle)  # closing the descriptor releases the lock
