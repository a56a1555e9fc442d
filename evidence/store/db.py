"""The evidence store: the only place that writes SQL.

Every write goes through `Store.transaction`: a build holds one transaction from its first
change to its last link (each document inside it in a savepoint of its own), so a reader, or
a build after a `kill -9`, finds the last finished build or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from extract.errors import EvidenceError
from extract.records import (
    Action,
    AreaLink,
    DocumentInfo,
    Extraction,
    Finding,
    Judgement,
    Measure,
    Milestone,
    Recommendation,
    Record,
)

TABLES: dict[type, str] = {
    Recommendation: "recommendations",
    Action: "actions",
    Finding: "findings",
    Judgement: "judgements",
    Measure: "measures",
    AreaLink: "area_links",
}
# Record fields stored under another column name ("table" is a keyword in SQL).
RENAMED = {"table": "table_title"}
FTS_COLUMNS = {
    "recommendations": ["text", "section", "status_text"],
    "actions": ["text", "lead"],
    "findings": ["text", "theme"],
}
RECORD_TABLES = tuple(TABLES.values())
# Views of older versions whose names are tables now.
REPLACED_VIEWS = ("journeys",)
# Tables whose rows a link or a journey event may name (links.source_table, target_table).
LINKABLE_TABLES = ("recommendations", "actions", "area_links", "findings")
# Documents stored without a place (by a version before document_paths, or a hand edit).
UNPLACED = (
    "select path, id from documents where parent_id is null"
    " and id not in (select document_id from document_paths)"
)
# A second build into the same store waits for the first to finish rather than fail at once.
BUSY_TIMEOUT = 600.0


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_json(value: Any) -> str | None:
    if value in ((), None):
        return None
    if isinstance(value, tuple) and value and isinstance(value[0], Milestone):
        return json.dumps([asdict(m) for m in value], ensure_ascii=False)
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return json.dumps(dict(value), ensure_ascii=False)  # (key, value) pairs: periods, columns
    return json.dumps(list(value), ensure_ascii=False)


def to_row(record: Record | DocumentInfo) -> dict[str, Any]:
    """The one place a record becomes a row: tuples become JSON, boxes become JSON lists."""
    row: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            value = to_json(value)
        row[RENAMED.get(f.name, f.name)] = value
    return row


@dataclass
class Prepared:
    """A file's rows as the store writes them, made where the file was extracted (a worker),
    so that the build's main process only writes them; with the linker's readings of its
    texts (rows of `readings`), when the worker made them."""

    documents: list[dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]]
    readings: list[dict[str, Any]] = field(default_factory=list)
    # pages whose text reads badly (see `extract.quality`): the file is stored and they are said
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, extraction: Extraction) -> Prepared:
        tables: dict[str, list[dict[str, Any]]] = {}
        for record in extraction.records:
            tables.setdefault(TABLES[type(record)], []).append(to_row(record))
        return cls([to_row(info) for info in extraction.documents], tables, notes=list(extraction.notes))

    def texts(self) -> list[str]:
        """The text of every row (what `Store.item_texts` gives of a stored document)."""
        return [row["text"] for rows in self.tables.values() for row in rows if row.get("text")]

    @property
    def id(self) -> str:
        return str(self.documents[0]["id"])

    @property
    def sha256(self) -> str:
        return str(self.documents[0]["sha256"])

    @property
    def items(self) -> int:
        return sum(map(len, self.tables.values()))


@dataclass(frozen=True)
class Pending:
    """A file's rows waiting to be written, where it was found and when."""

    path: str
    prepared: Prepared
    built_at: str
    copies: tuple[str, ...] = ()


def is_evidence_store(path: str | Path) -> bool:
    """Whether `path` is an SQLite file holding this project's documents table."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            found = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'documents'")
            return found.fetchone() is not None
    except sqlite3.DatabaseError:
        return False


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.open()
        except sqlite3.DatabaseError as exc:
            raise EvidenceError(
                f"{path} cannot be used as the evidence store ({exc}): pass another --db"
            ) from None

    def open(self) -> None:
        self.db = sqlite_utils.Database(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT))
        if self.db.table_names() and "documents" not in self.db.table_names():
            # another application's database: never add our tables to it
            raise EvidenceError(
                f"{self.path} is not an evidence store but a database of something else: pass another --db"
            )
        self.db.execute("PRAGMA foreign_keys = ON")
        schema = resources.files(__package__).joinpath("schema.sql").read_text()
        self.add_new_columns(schema)  # first: the schema's indexes may use them
        self.drop_replaced_views()
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

    def add_new_columns(self, schema: str) -> None:
        """A store made by an older version gains the columns added since; its rows are
        filled in when the newer extractor reads their documents again on this build."""
        fresh = sqlite_utils.Database(memory=True)
        fresh.conn.executescript(schema)
        existing = set(self.db.table_names())
        for table in fresh.table_names():
            if table not in existing:
                continue
            have = {c.name for c in self.db.table(table).columns}
            for column in fresh.table(table).columns:
                if column.name not in have:
                    self.db.execute(f'alter table {table} add column "{column.name}" {column.type}')

    def drop_replaced_views(self) -> None:
        """A store made before held views where the schema now has tables of the same name
        (`journeys`); SQLite's DROP VIEW fails on a table, so only a view is dropped."""
        for name in set(self.db.view_names()) & set(REPLACED_VIEWS):
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
                rows["documents"] += [
                    row | {"path": item.path, "built_at": item.built_at} for row in prepared.documents
                ]
                rows["document_paths"] += [
                    {"path": p, "document_id": prepared.id, "seen_at": item.built_at}
                    for p in dict.fromkeys([item.path, *item.copies, *kept])
                ]
                for table, found in [*prepared.tables.items(), ("readings", prepared.readings)]:
                    rows.setdefault(table, []).extend(found)
                conn.execute("delete from problems where path = ?", [item.path])
            for table, found in rows.items():
                insert_many(conn, table, found)

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

    # -- checks and repairs --------------------------------------------------------

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

    # -- problems --------------------------------------------------------------------

    def clear_problems(self) -> None:
        with self.transaction() as conn:
            conn.execute("delete from problems")

    def add_problem(self, path: str, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "insert or replace into problems (path, reason, at) values (?, ?, ?)", [path, reason, now()]
            )

    # -- reading ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        names = ("documents",) + RECORD_TABLES + ("links", "problems")
        return {name: self.db[name].count for name in names}

    def rows(self, table: str, where: str | None = None, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db[table].rows_where(where, params))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    # -- the linker's readings ---------------------------------------------------------

    def drop_readings_not_by(self, normaliser: str) -> None:
        """Delete the readings made by another normaliser (an older vocabulary): they are made again."""
        with self.transaction() as conn:
            conn.execute("delete from readings where normaliser != ?", [normaliser])

    def readings(self, normaliser: str, documents: list[str]) -> list[tuple[str, str, str, str]]:
        """(document id, text, words, head) of the readings of these documents' texts made by `normaliser`."""
        return [
            tuple(row)
            for row in self.db.execute(
                "select document_id, text, words, head from readings"
                f" where normaliser = ? and document_id in {LISTED}",
                [normaliser, json.dumps(documents)],
            )
        ]

    def rows_of_documents(self, table: str, documents: list[str]) -> list[dict[str, Any]]:
        """The rows of `table` of these documents, in the order they were stored."""
        where = f"document_id in {LISTED}"
        return list(self.db[table].rows_where(where, [json.dumps(documents)], order_by="rowid"))

    def add_readings(self, rows: list[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            insert_many(conn, "readings", rows, replace=True)

    # -- journeys --------------------------------------------------------------------

    def clear_journeys(self) -> None:
        """Delete every journey, to store them again (`add_journeys`) in the same transaction,
        so a page never reads the states of one build with the events of another."""
        with self.transaction() as conn:
            conn.execute("delete from journey_events")
            conn.execute("delete from journeys")

    def add_journeys(self, journeys: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        """Store some journeys' states and events (after `clear_journeys`)."""
        with self.transaction() as conn:
            insert_many(conn, "journeys", journeys)
            insert_many(conn, "journey_events", events)

    def links_to_recommendations_of(self, documents: list[str]) -> list[dict[str, Any]]:
        """The links whose target is a recommendation of these documents."""
        where = (
            "target_table = 'recommendations' and target_id in "
            f"(select id from recommendations where document_id in {LISTED})"
        )
        return list(self.db["links"].rows_where(where, [json.dumps(documents)], order_by="rowid"))

    def rows_linked_from_elsewhere(self, documents: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """(table, row) of each row of other documents linked to a recommendation of these."""
        inside = json.dumps(documents)
        where = (
            "id in (select source_id from links where source_table = ? and target_table = 'recommendations'"
            f" and target_id in (select id from recommendations where document_id in {LISTED}))"
            f" and document_id not in {LISTED}"
        )
        return [
            (table, row)
            for table in LINKABLE_TABLES
            for row in self.db[table].rows_where(where, [table, inside, inside])
        ]

    # -- links -----------------------------------------------------------------------

    def fingerprints(self, documents: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
        """What each linkable row is, in words that outlive its id: the authority, type and
        date of its document, its label and its text. An edit elsewhere in the file, or a newer
        extractor that numbers items differently, leaves a row's fingerprint as it was.
        `documents`: only the rows of these (an authority's documents: rows alike enough to
        share a fingerprint are of one authority, so theirs are numbered as in the whole store)."""
        prints: dict[tuple[str, str], str] = {}
        seen: dict[str, int] = {}
        where, params = "", []
        if documents is not None:
            where, params = (
                f"where x.document_id in {LISTED}",
                [json.dumps(list(documents))],
            )
        for sql in FINGERPRINT_SQL:
            for row in self.db.query(sql.format(where=where), params):
                fp = fingerprint(row)
                # the same words twice in one document (a list repeated under two headings) stay two rows
                seen[fp] = seen.get(fp, 0) + 1
                prints[(row["t"], row["id"])] = fp if seen[fp] == 1 else f"{fp}#{seen[fp]}"
        return prints

    def replace_links(self, batches: Iterable[tuple[Sequence[str], Iterable[dict[str, Any]]]]) -> int:
        """Store the linker's links in place of the last build's. They come in batches, each
        with the documents whose rows they join, and are written as they come: a store's links
        and fingerprints need not all be held at once. A person's verdicts are applied by the
        link's stable key, so a rejected link stays rejected; links a person added are made
        again between the rows they joined, while both still exist, and win over the linker's."""
        with self.transaction() as conn:
            conn.execute("delete from links")
            verdicts = {row[0]: row[1] for row in conn.execute("select key, confirmed from link_verdicts")}
            manual = self.manual_links(conn)
            insert_many(conn, "links", manual)
            keys = {row["key"] for row in manual}
            for documents, links in batches:
                self.write_links(conn, self.fingerprints(documents), links, keys, verdicts)
                del documents, links  # not held while the next batch is linked
            return len(keys)

    def write_links(
        self,
        conn: Any,
        prints: dict[tuple[str, str], str],
        links: Iterable[dict[str, Any]],
        keys: set[str],
        verdicts: dict[str, int],
    ) -> None:
        """Write the links whose keys are not in `keys` yet (adding theirs), with their verdicts."""
        pending: list[dict[str, Any]] = []
        for link in links:
            key = link_key(prints, link)
            if key is None or key in keys:
                continue
            keys.add(key)
            pending.append(link | {"key": key, "confirmed": verdicts.get(key)} | ends_of(prints, link))
        insert_many(conn, "links", pending)

    def manual_links(self, conn: Any) -> list[dict[str, Any]]:
        """The links people added, between the rows that now have their ends' fingerprints."""
        out: list[dict[str, Any]] = []
        added = conn.execute(
            "select key, relation, source_fp, target_fp, note from link_verdicts where method = 'manual'"
        ).fetchall()
        by_print = {fp: ends for ends, fp in self.fingerprints().items()} if added else {}
        for key, relation, source_fp, target_fp, note in added:
            source, target = by_print.get(source_fp), by_print.get(target_fp)
            if source and target:
                evidence = f"added by a person: {note}" if note else "added by a person"
                out.append(
                    {
                        "id": key,
                        "key": key,
                        "source_table": source[0],
                        "source_id": source[1],
                        "target_table": target[0],
                        "target_id": target[1],
                        "relation": relation,
                        "method": "manual",
                        "score": 1.0,
                        "evidence": evidence,
                        "confirmed": 1,
                        "source_fp": source_fp,
                        "target_fp": target_fp,
                    }
                )
        return out

    def set_verdict(self, key: str, confirmed: bool, note: str | None = None) -> None:
        with self.transaction() as conn:
            link = conn.execute(
                f"select {', '.join(VERDICT_ENDS)} from links where key = ?",  # noqa: S608 - fixed names
                [key],
            ).fetchone()
            if link is None:
                raise EvidenceError(f"no link with key {key!r}: run `evidence review --all` to list the keys")
            self.write_verdict(conn, key, confirmed, dict(zip(VERDICT_ENDS, link, strict=True)), note)
            conn.execute("update links set confirmed = ? where key = ?", [int(confirmed), key])

    def add_manual_link(self, link: dict[str, Any], note: str | None = None) -> dict[str, Any]:
        """Add a link a person drew; returns it as stored (with its stable key)."""
        prints = self.fingerprints()
        key = link_key(prints, link)
        if key is None:
            raise EvidenceError("a link must join two rows that are in the store")
        row = link | {"id": key, "key": key, "method": "manual", "confirmed": 1} | ends_of(prints, link)
        with self.transaction() as conn:
            insert(conn, "links", row, replace=True)
            self.write_verdict(conn, key, True, row, note)
        return row

    def write_verdict(
        self, conn: Any, key: str, confirmed: bool, link: dict[str, Any], note: str | None
    ) -> None:
        # the link carries its rows' fingerprints, so a verdict needs no look at the whole store
        conn.execute(
            "insert or replace into link_verdicts (key, confirmed, source_table, source_id, target_table,"
            " target_id, relation, method, source_fp, target_fp, note, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                key,
                int(confirmed),
                *(link[name] for name in VERDICT_ENDS),
                note,
                now(),
            ],
        )


SAVEPOINTS = itertools.count(1)

VERDICT_ENDS = (
    "source_table",
    "source_id",
    "target_table",
    "target_id",
    "relation",
    "method",
    "source_fp",
    "target_fp",
)

# The ids given as one parameter, a JSON list (no limit on how many, unlike "in (?, ?, ...)").
LISTED = "(select value from json_each(?))"

# Every row a link can join, with what identifies it beyond its id, table by table, in the order
# of their ids (rows alike in all of it are numbered in that order: see `Store.fingerprints`).
FINGERPRINT_SQL = (
    """select 'recommendations' as t, x.id as id, d.authority, d.doc_type, d.date,
       x.kind || ' ' || coalesce(x.label, '') || ' ' || coalesce(x.section, '') as label, x.text
    from recommendations x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'actions' as t, x.id as id, d.authority, d.doc_type, d.date,
       coalesce(x.area_label, '') || ' ' || x.label as label, x.text
    from actions x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'area_links' as t, x.id as id, d.authority, d.doc_type, d.date, x.labels as label,
       coalesce(x.area, '') as text
    from area_links x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'findings' as t, x.id as id, d.authority, d.doc_type, d.date, x.kind as label, x.text
    from findings x join documents d on d.id = x.document_id {where} order by x.id""",
)


def damaged_file(path: str | Path, detail: str) -> EvidenceError:
    return EvidenceError(
        f"{path} is damaged ({detail}): SQLite cannot repair it in place; "
        "build a new store from your folders with `evidence build FOLDER --db NEW.db`"
    )


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


def fingerprint(row: dict[str, Any]) -> str:
    text = " ".join(str(row["text"] or "").lower().split())
    parts = (row["t"], row["authority"], row["doc_type"], row["date"], row["label"], text)
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def ends_of(prints: dict[tuple[str, str], str], link: dict[str, Any]) -> dict[str, str | None]:
    return {
        "source_fp": prints.get((link["source_table"], link["source_id"])),
        "target_fp": prints.get((link["target_table"], link["target_id"])),
    }


def link_key(prints: dict[tuple[str, str], str], link: dict[str, Any]) -> str | None:
    """A link's stable key: its relation between the fingerprints of its two rows."""
    source = prints.get((link["source_table"], link["source_id"]))
    target = prints.get((link["target_table"], link["target_id"]))
    if source is None or target is None:
        return None
    return hashlib.sha1(f"{source}>{link['relation']}>{target}".encode()).hexdigest()[:20]


def insert(conn: Any, table: str, row: dict[str, Any], replace: bool = False) -> None:
    insert_many(conn, table, [row], replace)


def insert_many(conn: Any, table: str, rows: list[dict[str, Any]], replace: bool = False) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    verb = "insert or replace" if replace else "insert"
    conn.executemany(
        f"{verb} into {table} ({names}) values ({marks})",
        [[row.get(c) for c in columns] for row in rows],
    )
