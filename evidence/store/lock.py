"""Whether another build holds the store's write lock, and who, so that a build that has to
wait for it says so instead of sitting silent for up to `BUSY_TIMEOUT` seconds."""

from __future__ import annotations

import contextlib
import sqlite3

from .db import BUSY_TIMEOUT, Store


def lock_holder(store: Store) -> str | None:
    """None when the write lock is free now; else who holds it, in words ("the build started
    2026-12-07T09:30:00+00:00 by process 123 on host"), as far as the store tells."""
    conn = store.db.conn
    if conn.in_transaction:
        return None
    conn.execute("pragma busy_timeout = 0")
    try:
        conn.execute("begin immediate")
        conn.execute("rollback")
        return None
    except sqlite3.OperationalError:
        pass
    finally:
        conn.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    row = None
    with contextlib.suppress(sqlite3.Error):
        row = conn.execute(
            "select started_at, pid, host from builds where outcome is null order by id desc limit 1"
        ).fetchone()
    if row is None:
        return "another program"
    return f"the build started {row[0]} by process {row[1]} on {row[2]}"
