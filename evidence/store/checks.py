"""Checks and repairs of a store: SQLite's own check of the file, and mending what a hand edit
or an older version may have left (`evidence doctor`)."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils

from extract.errors import EvidenceError

from .rows import FTS_COLUMNS, LINKABLE_TABLES, UNPLACED


class Checks:
    """The checks part of `Store`."""

    db: sqlite_utils.Database
    path: str

    def transaction(self, immediate: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def check_file(self) -> None:
        """SQLite's own check of the file; a damaged file cannot be mended row by row."""
        try:
            found = [row[0] for row in self.db.execute("pragma integrity_check(20)").fetchall()]
        except sqlite3.DatabaseError as exc:
            found = [str(exc)]
        if found != ["ok"]:
            raise damaged_file(self.path, "; ".join(found[:3]))

    def repair(self, search: bool = True) -> list[str]:
        """Mend what a hand edit or an older version may have left: rows whose document is
        gone (a delete with foreign keys off), links and journey events naming rows that are
        gone, documents without a recorded place, a full-text index out of step. Returns one
        line per kind of repair made."""
        done = []
        with self.transaction() as conn:
            orphans = self.delete_orphans(conn)
            if orphans:
                done.append(f"{orphans} rows whose document was gone (deleted by hand?) removed")
            dangling = self.delete_dangling(conn)
            if dangling:
                done.append(f"{dangling} links and journey events naming rows that are gone removed")
            placed = conn.execute(
                f"insert or ignore into document_paths (path, document_id) {UNPLACED}"
            ).rowcount
            if placed:
                done.append(f"{placed} documents without a recorded place given their path")
        for table in FTS_COLUMNS if search else ():
            if not self.fts_in_step(table):
                with self.transaction() as conn:
                    conn.execute(f"insert into {table}_fts ({table}_fts) values ('rebuild')")
                done.append(f"full-text search of {table} rebuilt")
        return done

    def delete_orphans(self, conn: sqlite3.Connection) -> int:
        deleted = 0
        while True:  # deleting a paper's pack orphans the paper's rows in turn
            found = conn.execute("pragma foreign_key_check").fetchall()
            if not found:
                return deleted
            for table, rowid, _parent, _fk in found:
                if rowid is None:  # a WITHOUT ROWID table: none here, but never loop for ever
                    raise EvidenceError(
                        f"{self.path}: {table} has rows whose parent is gone and cannot be removed"
                    )
                conn.execute(f'delete from "{table}" where rowid = ?', [rowid])  # noqa: S608 - table from SQLite
                deleted += 1

    def delete_dangling(self, conn: sqlite3.Connection) -> int:
        deleted = 0
        for table in LINKABLE_TABLES:
            for end in ("source", "target"):
                deleted += conn.execute(
                    f"delete from links where {end}_table = ? and {end}_id not in (select id from {table})",  # noqa: S608
                    [table],
                ).rowcount
            deleted += conn.execute(
                f"delete from journey_events where source_table = ? and source_id not in (select id from {table})",  # noqa: S608
                [table],
            ).rowcount
        return deleted

    def fts_in_step(self, table: str) -> bool:
        try:
            with self.transaction() as conn:
                # rank 1: also compare the index with the table it indexes
                conn.execute(f"insert into {table}_fts ({table}_fts, rank) values ('integrity-check', 1)")  # noqa: S608
        except sqlite3.DatabaseError:
            return False
        return True

    def dangling(self) -> dict[str, int]:
        """What `repair` would mend, counted without changing anything (for `evidence doctor`)."""
        counts = {"rows whose document is gone": len(self.db.execute("pragma foreign_key_check").fetchall())}
        links = 0
        for table in LINKABLE_TABLES:
            for end in ("source", "target"):
                links += self.db.execute(
                    f"select count(*) from links where {end}_table = ? and {end}_id not in (select id from {table})",  # noqa: S608
                    [table],
                ).fetchone()[0]
        counts["links naming rows that are gone"] = links
        counts["journey events naming rows that are gone"] = sum(
            self.db.execute(
                f"select count(*) from journey_events where source_table = ? and source_id not in (select id from {table})",  # noqa: S608
                [table],
            ).fetchone()[0]
            for table in LINKABLE_TABLES
        )
        counts["search indexes out of step"] = sum(not self.fts_in_step(t) for t in FTS_COLUMNS)
        return counts


def damaged_file(path: str | Path, detail: str) -> EvidenceError:
    return EvidenceError(
        f"{path} is damaged ({detail}): SQLite cannot repair it in place; "
        "build a new store from your folders with `evidence build FOLDER --db NEW.db`"
    )
