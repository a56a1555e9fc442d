"""Whether two stores hold the same rows, table by table (a change that moves work must not
change results):

    python benchmarks/compare_stores.py BEFORE.db AFTER.db

Compares every table both stores have, row for row, leaving out the columns that say when
or by which process a row was written (`built_at`, `seen_at`, `at`, the `builds` table) and
the full-text indexes' own tables; prints, per table, the rows and whether they agree, and
the first differing rows. Exits 1 when any table differs.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

# Columns that record when or by whom a row was written, not what it says.
WHEN = {"built_at", "seen_at", "at", "started_at", "finished_at", "pid", "host", "summary"}
SKIPPED = ("builds",)


def tables(conn: sqlite3.Connection) -> list[str]:
    names = [
        name
        for (name,) in conn.execute("select name from sqlite_master where type = 'table' order by name")
        if "_fts" not in name and not name.startswith("sqlite_")
    ]
    return [n for n in names if n not in SKIPPED]


def rows(conn: sqlite3.Connection, table: str) -> list[str]:
    columns = [c[1] for c in conn.execute(f"pragma table_info({table})") if c[1] not in WHEN]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted(map(repr, conn.execute(f"select {quoted} from {table}")))  # noqa: S608 - names from SQLite


def main() -> None:
    before_path, after_path = sys.argv[1:3]
    differ = False
    with closing(sqlite3.connect(before_path)) as before, closing(sqlite3.connect(after_path)) as after:
        names = tables(before)
        for table in sorted(set(names) | set(tables(after))):
            if table not in names:
                print(f"{table:<18} only in {after_path} ({len(rows(after, table))} rows)")
                continue
            a, b = rows(before, table), rows(after, table)
            same = a == b
            differ |= not same
            print(f"{table:<18} {len(a):7d} rows  {len(b):7d} rows  {'same' if same else 'DIFFERENT'}")
            if not same:
                for line in sorted(set(a) ^ set(b))[:5]:
                    print(f"    {'-' if line in a else '+'} {line[:200]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
