"""The evidence store: the only place that writes SQL.

Each document is written in one transaction (its old rows go in the same one), so a build
that fails half way leaves every document either as it was or as it is now.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

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


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        schema = resources.files("evidence").joinpath("schema.sql").read_text()
        self.db.conn.executescript(schema)
        self.add_new_columns(schema)
        self.ensure_fts()

    def add_new_columns(self, schema: str) -> None:
        """A store made by an older version gains the columns added since; its rows are
        filled in when the newer extractor reads their documents again on this build."""
        fresh = sqlite_utils.Database(memory=True)
        fresh.conn.executescript(schema)
        for table in fresh.table_names():
            have = {c.name for c in self.db.table(table).columns}
            for column in fresh.table(table).columns:
                if column.name not in have:
                    self.db.execute(f'alter table {table} add column "{column.name}" {column.type}')

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

    def write_extraction(self, path: str, extraction: Extraction, built_at: str | None = None) -> None:
        """Replace whatever was stored for `path` (or for these bytes) with `extraction`."""
        built_at = built_at or now()
        conn = self.db.conn
        with conn:
            top = extraction.documents[0]
            conn.execute(
                "delete from documents where parent_id is null and (path = ? or sha256 = ?)",
                [path, top.sha256],
            )
            for info in extraction.documents:
                row = to_row(info) | {"path": path, "built_at": built_at}
                insert(conn, "documents", row)
            by_table: dict[str, list[dict[str, Any]]] = {}
            for record in extraction.records:
                by_table.setdefault(TABLES[type(record)], []).append(to_row(record))
            for table, rows in by_table.items():
                insert_many(conn, table, rows)
            conn.execute("delete from problems where path = ?", [path])

    def move_document(self, document_id: str, path: str) -> None:
        with self.db.conn as conn:
            conn.execute(
                "update documents set path = ? where id = ? or parent_id = ?",
                [path, document_id, document_id],
            )

    def remove_path(self, path: str) -> None:
        with self.db.conn as conn:
            conn.execute("delete from documents where parent_id is null and path = ?", [path])

    # -- problems --------------------------------------------------------------------

    def clear_problems(self) -> None:
        with self.db.conn as conn:
            conn.execute("delete from problems")

    def add_problem(self, path: str, reason: str) -> None:
        with self.db.conn as conn:
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

    # -- links -----------------------------------------------------------------------

    def replace_links(self, links: Iterable[dict[str, Any]]) -> int:
        """Store the linker's links in place of the last build's; a person's verdicts are
        applied by key, and a link a person rejected stays rejected."""
        with self.db.conn as conn:
            conn.execute("delete from links where method != 'manual'")
            verdicts = {row[0]: row[1] for row in conn.execute("select key, confirmed from link_verdicts")}
            manual = {row[0] for row in conn.execute("select key from links")}
            rows = [
                link | {"confirmed": verdicts.get(link["key"])} for link in links if link["key"] not in manual
            ]
            insert_many(conn, "links", rows)
            return len(rows)

    def set_verdict(self, key: str, confirmed: bool, note: str | None = None) -> None:
        with self.db.conn as conn:
            link = conn.execute(
                "select source_table, source_id, target_table, target_id, relation from links where key = ?",
                [key],
            ).fetchone()
            values = list(link) if link else [None] * 5
            conn.execute(
                "insert or replace into link_verdicts (key, confirmed, source_table, source_id, target_table,"
                " target_id, relation, note, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, int(confirmed), *values, note, now()],
            )
            conn.execute("update links set confirmed = ? where key = ?", [int(confirmed), key])

    def add_manual_link(self, link: dict[str, Any]) -> None:
        with self.db.conn as conn:
            insert(conn, "links", link | {"method": "manual", "confirmed": 1}, replace=True)
            conn.execute(
                "insert or replace into link_verdicts (key, confirmed, source_table, source_id, target_table,"
                " target_id, relation, note, at) values (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                [
                    link["key"],
                    link["source_table"],
                    link["source_id"],
                    link["target_table"],
                    link["target_id"],
                    link["relation"],
                    link.get("evidence"),
                    now(),
                ],
            )


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
