"""Which served databases are evidence stores, and what the site keeps while a store's file is
unchanged."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from datasette.utils.asgi import NotFound

from ..journeys.journey import checked_date
from ..store import is_evidence_store

# Journeys worked out for a date are kept while the store's file is unchanged.
CACHE_SIZE = 16

_cache: dict[tuple[str, float, str, str], Any] = {}


def evidence_database(datasette: Any, name: str | None = None) -> Any:
    """The Datasette database that is an evidence store (the named one, else the first)."""
    for db_name, db in datasette.databases.items():
        if db_name.startswith("_") or db.path is None:
            continue
        if (name is None or db_name == name) and is_store(db.path):
            return db
    raise NotFound("No evidence store is being served: start it with `evidence serve --db FILE`")


def is_store(path: str) -> bool:
    """Whether a served database is an evidence store (asked once while the file is unchanged)."""
    key = ("is_store", mtime(path), path, "")
    if key not in _cache:
        remember(key, is_evidence_store(path))
    return bool(_cache[key])


def mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def remember(key: tuple[str, float, str, str], value: Any) -> Any:
    if len(_cache) >= CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = value
    return value


def checked_as_of(value: str | None) -> str:
    """A date from a page's ?as_of=, today when none is given."""
    return checked_date((value or "").strip() or None, "as_of={!r}") or date.today().isoformat()


def recalled(key: tuple[str, float, str, str]) -> Any:
    """What `remember` kept under the key, or None."""
    return _cache.get(key)
