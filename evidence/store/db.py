"""The evidence store: the only place that writes SQL.

Every write goes through `Store.transaction`: a build holds one transaction from its first
change to its last link (each document inside it in a savepoint of its own), so a reader, or
a build after a `kill -9`, finds the last finished build or the new one, never half of one.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from extract.errors import EvidenceError
from extract.records import Extraction

from .checks import Checks
from .journeys import Journeys
from .links import Links
from .rows import (
    FTS_COLUMNS,
    RECORD_TABLES,
    UNPLACED,
    Pending,
    Prepared,
    insert_all,
    now,
)
from .turns import taking_turns

# Views of older versions whose names are tables now.
REPLACED_VIEWS = ("journeys",)
# A second build into the same store waits for the first to finish rather than fail at once.
BUSY_TIMEOUT = 600.0


def is_evidence_store(path: str | Path) -> bool:
    """Whether `path` is an SQLite file holding this project's documents table."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            found = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'documents'")
            return found.fetchone() is not None
    except sqlite3.DatabaseError:
        return False


class Store(Links, Journeys, Checks):
    """The store's file: opening it, transactions, documents, builds, problems, journeys; its
    linker's readings, links and verdicts come from `Links` (links.py), what the journeys read
    and write from `Journeys` (journeys.py), its checks and repairs from `Checks` (checks.py)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.open()
        except sqlite3.DatabaseError as exc:
            raise EvidenceError(
                f"{path} cannot be used as the evidence store ({exc}): pass another --db"
            ) from None

    def open(self) -> None:
        with taking_turns(self.path):
            self.set_up()

    def set_up(self) -> None:
        self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT))
        if self.db.table_names() and "documents" not in self.db.table_names():
            # another application's database: never add our tables to it
            raise EvidenceError(
                f"{self.path} is not an evidence store but a database of something else: pass another --db"
            )
        self.db.execute("PRAGMA foreign_keys = ON")
        schema = resources.files(__package__).joinpath("schema.sql").read_text()
        fresh = sqlite_utils.Database(memory=True)
        fresh.conn.executescript(schema)
        self.add_new_columns(fresh)  # first: the schema's indexes may use them
        self.allow_empty_finding_kind()
        self.drop_replaced_views(fresh)
        self.db.conn.executescript(schema)
        self.ensure_fts()
        if self.db.execute(f"select exists ({UNPLACED})").fetchone()[0]:
            # a store made before document_paths knew each document at its one path; a store
            # that needs nothing is only read, so `status` never waits for a running build
            with self.transaction() as conn:
                conn.execute(f"insert or ignore into document_paths (path, document_id) {UNPLACED}")

    @contextmanager
    def transaction(self, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One unit of writing. Inside a build's transaction it is a savepoint, so one
        document's failure undoes that document alone. `immediate` takes the write lock at
        once: a second build waits here for the first one to finish."""
        conn = self.db.conn
        if conn.in_transaction:
            name = f"unit{next(SAVEPOINTS)}"
            conn.execute(f"savepoint {name}")
            try:
                yield conn
            except BaseException:
                conn.execute(f"rollback to {name}")
                conn.execute(f"release {name}")
                raise
            conn.execute(f"release {name}")
            return
        try:
            conn.execute("begin immediate" if immediate else "begin")
        except sqlite3.OperationalError as exc:
            raise EvidenceError(
                f"{self.path} is busy ({exc}): another build is writing it; build again when it has finished"
            ) from None
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def add_new_columns(self, fresh: sqlite_utils.Database) -> None:
        """A store made by an older version gains the columns added since (`fresh` is the
        schema's); its rows are filled in when the newer extractor reads their documents
        again on this build."""
        existing = set(self.db.table_names())
        for table in fresh.table_names():
            if table not in existing:
                continue
            have = {c.name for c in self.db.table(table).columns}
            for column in fresh.table(table).columns:
                if column.name not in have:
                    self.db.execute(f'alter table {table} add column "{column.name}" {column.type}')

    def allow_empty_finding_kind(self) -> None:
        """A finding's kind may be NULL (a sentence whose polarity cannot be told); a store made
        before declared it NOT NULL, which SQLite changes only by copying the table (its search
        index is made again by `ensure_fts`)."""
        table = self.db.table("findings")
        if table.exists() and any(c.name == "kind" and c.notnull for c in table.columns):
            table.disable_fts()
            table.transform(not_null={"kind": False})

    def drop_replaced_views(self, fresh: sqlite_utils.Database) -> None:
        """A store made before held views where the schema now has tables of the same name
        (`journeys`), or views the schema (`fresh`) now defines otherwise (`document_notes`):
        they are dropped to be made again. SQLite's DROP VIEW fails on a table, so only a view
        is dropped."""
        query = "select name, sql from sqlite_master where type = 'view'"
        changed = (
            dict(self.db.execute(query).fetchall()).items() - dict(fresh.execute(query).fetchall()).items()
        )
        for name in set(self.db.view_names()) & (set(REPLACED_VIEWS) | {name for name, _ in changed}):
            self.db.execute(f"drop view {name}")

    def ensure_fts(self) -> None:
        for name, columns in FTS_COLUMNS.items():
            table = self.db.table(name)
            if not table.detect_fts():
                table.enable_fts(columns, create_triggers=True, tokenize="porter")

    def close(self) -> None:
        self.db.close()

    # -- documents -------------------------------------------------------------------

    def top_documents(self) -> list[dict[str, Any]]:
        return list(
            self.db.query("select id, path, sha256, extractor_version from documents where parent_id is null")
        )

    def paths(self) -> dict[str, str]:
        """Every place a stored document is found, with its document's id."""
        return dict(self.db.execute("select path, document_id from document_paths").fetchall())

    def document_at(self, path: str) -> str | None:
        row = self.db.execute("select document_id from document_paths where path = ?", [path]).fetchone()
        return row[0] if row else None

    def item_count(self, document_id: str) -> int:
        """Rows extracted from a document and its papers: what a new version is compared with."""
        ids = "select id from documents where id = :id or parent_id = :id"
        return sum(
            self.db.execute(
                f"select count(*) from {table} where document_id in ({ids})",  # noqa: S608 - fixed names
                {"id": document_id},
            ).fetchone()[0]
            for table in RECORD_TABLES
        )

    def item_texts(self, document_id: str) -> list[str]:
        """The text of every row of a document and its papers (see `Prepared.texts`)."""
        ids = "select id from documents where id = :id or parent_id = :id"
        return [
            text
            for table in RECORD_TABLES
            if "text" in {c[1] for c in self.db.execute(f"pragma table_info({table})")}
            for (text,) in self.db.execute(
                f"select text from {table} where document_id in ({ids}) and text is not null",  # noqa: S608
                {"id": document_id},
            )
        ]

    def note_count(self, document_id: str) -> int:
        """How many things a person should know of a stored document's reading (`notes`)."""
        row = self.db.execute("select notes from documents where id = ?", [document_id]).fetchone()
        return len(json.loads(row[0])) if row and row[0] else 0

    def built_at(self, document_id: str) -> str | None:
        row = self.db.execute("select built_at from documents where id = ?", [document_id]).fetchone()
        return row[0] if row else None

    def write_extraction(
        self, path: str, extraction: Extraction, built_at: str | None = None, copies: Sequence[str] = ()
    ) -> None:
        """Store `extraction` as what is found at `path` (and at `copies`, the same bytes
        elsewhere). The document stored before for these bytes (read by an older extractor) is
        replaced and keeps its other places; the one stored before at `path`, if its bytes were
        others, loses this place, and its rows only if it has no other place."""
        self.write_prepared(path, Prepared.of(extraction), built_at, copies)

    def write_prepared(
        self, path: str, prepared: Prepared, built_at: str | None = None, copies: Sequence[str] = ()
    ) -> None:
        """`write_extraction` for rows a worker made (see `Prepared`)."""
        self.write_batch([Pending(path, prepared, built_at or now(), tuple(copies))])

    def places_of(self, document_id: str) -> list[str]:
        return [
            p
            for (p,) in self.db.execute(
                "select path from document_paths where document_id = ?", [document_id]
            )
        ]

    def write_batch(self, batch: Sequence[Pending]) -> None:
        """Several files' rows at once, as `write_prepared` writes one: each file's old rows
        and places go first, file by file, then every new row of a table in one statement.
        The same as writing them one by one when no two files of the batch share a place
        (the build sees to it: see build.py `Writer`); otherwise a place is inserted twice and
        the batch fails whole."""
        rows: dict[str, list[dict[str, Any]]] = {"documents": [], "document_paths": []}
        with self.transaction() as conn:
            for item in batch:
                prepared = item.prepared
                kept = self.places_of(prepared.id)
                conn.execute(
                    "delete from documents where parent_id is null and sha256 = ?", [prepared.sha256]
                )
                for place in (item.path, *item.copies):
                    self.forget_path(place)
                # what a person should know of the file goes on its own row, not its papers'
                notes = json.dumps(prepared.notes, ensure_ascii=False) if prepared.notes else None
                rows["documents"] += [
                    row
                    | {"path": item.path, "built_at": item.built_at}
                    | {"notes": notes if row["id"] == prepared.id else None}
                    for row in prepared.documents
                ]
                rows["document_paths"] += [
                    {"path": p, "document_id": prepared.id, "seen_at": item.built_at}
                    for p in dict.fromkeys([item.path, *item.copies, *kept])
                ]
                for table, found in [*prepared.tables.items(), ("readings", prepared.readings)]:
                    rows.setdefault(table, []).extend(found)
                conn.execute("delete from problems where path = ?", [item.path])
            for table, found in rows.items():
                insert_all(self.db, table, found)

    def set_path(self, path: str, document_id: str) -> bool:
        """Record that `document_id` is (also) found at `path`. Returns whether a document that
        was at `path` before lost its last place, and so its rows."""
        with self.transaction() as conn:
            owner = conn.execute("select document_id from document_paths where path = ?", [path]).fetchone()
            if owner and owner[0] == document_id:
                return False
            removed = self.forget_path(path)
            conn.execute(
                "insert into document_paths (path, document_id, seen_at) values (?, ?, ?)",
                [path, document_id, now()],
            )
            return removed

    def forget_path(self, path: str) -> bool:
        """The document at `path` is no longer found there. Returns whether that was its last
        place (its rows are then deleted); otherwise it is named by one of its other places."""
        with self.transaction() as conn:
            owner = conn.execute("select document_id from document_paths where path = ?", [path]).fetchone()
            if owner is None:
                return False
            conn.execute("delete from document_paths where path = ?", [path])
            other = conn.execute(
                "select path from document_paths where document_id = ? order by path limit 1", [owner[0]]
            ).fetchone()
            if other is None:
                conn.execute("delete from documents where id = ?", [owner[0]])
                return True
            conn.execute(
                "update documents set path = ? where (id = ? or parent_id = ?) and path = ?",
                [other[0], owner[0], owner[0], path],
            )
            return False

    # -- builds ----------------------------------------------------------------------

    def begin_build(self, folders: Sequence[str]) -> int:
        """Note that a build starts, in a transaction of its own: if it is stopped before it
        finishes, this row is what tells the next build (and `evidence doctor`)."""
        with self.transaction(immediate=True) as conn:
            cursor = conn.execute(
                "insert into builds (started_at, pid, host, folders) values (?, ?, ?, ?)",
                [now(), os.getpid(), socket.gethostname(), json.dumps(list(folders), ensure_ascii=False)],
            )
            return int(cursor.lastrowid or 0)

    def end_build(self, build_id: int, outcome: str, summary: str) -> None:
        """`finished` (inside the build's transaction, so it commits with the build's rows) or
        `failed` (after its rollback: the store is the last build's, and this row says why)."""
        with self.transaction() as conn:
            conn.execute(
                "update builds set finished_at = ?, outcome = ?, summary = ? where id = ?",
                [now() if outcome == "finished" else None, outcome, summary, build_id],
            )

    def interrupted_builds(self) -> list[str]:
        """Builds that started and never finished, and are not running now; each is marked so
        that it is reported once. Returns when each started."""
        stopped = []
        with self.transaction() as conn:
            rows = conn.execute(
                "select id, started_at, pid, host from builds where outcome is null"
            ).fetchall()
            for build_id, started_at, pid, host in rows:
                if pid == os.getpid() or (host == socket.gethostname() and process_alive(pid)):
                    continue
                conn.execute("update builds set outcome = 'interrupted' where id = ?", [build_id])
                stopped.append(started_at)
        return stopped

    # -- problems --------------------------------------------------------------------

    def clear_problems(self) -> None:
        with self.transaction() as conn:
            conn.execute("delete from problems")

    def add_problem(self, path: str, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "insert or replace into problems (path, reason, at) values (?, ?, ?)", [path, reason, now()]
            )

    def document_notes(self) -> list[tuple[str, list[str], list[str]]]:
        """What a person should know of every stored file (see the `document_notes` view), by
        path: (path, its pages' notes, its sections read as empty); a file with a problem
        already (a rejected new version whose stored rows are kept) is left out."""
        by_path: dict[str, tuple[list[str], list[str]]] = {}
        for path, kind, note in self.db.execute(
            "select path, kind, note from document_notes where path not in (select path from problems) "
            "order by path, kind, first_page, position"
        ):
            by_path.setdefault(path, ([], []))[kind == "unread"].append(note)
        return [(path, notes, unread) for path, (notes, unread) in by_path.items()]

    # -- reading ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        names = ("documents",) + RECORD_TABLES + ("links", "problems")
        return {name: self.db[name].count for name in names}

    def rows(self, table: str, where: str | None = None, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db[table].rows_where(where, params))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))


SAVEPOINTS = itertools.count(1)


def process_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
