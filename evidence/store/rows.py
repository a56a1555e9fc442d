"""The store's tables of records, and rows as the store writes them: a file's rows made where it
was extracted (`Prepared`), waiting to be written (`Pending`), written with sqlite-utils'
`insert_all`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from extract.quality import note_kind, note_page
from extract.records import (
    Action,
    AreaLink,
    Extraction,
    Finding,
    Judgement,
    Measure,
    Recommendation,
    to_row,
)

TABLES: dict[type, str] = {
    Recommendation: "recommendations",
    Action: "actions",
    Finding: "findings",
    Judgement: "judgements",
    Measure: "measures",
    AreaLink: "area_links",
}
FTS_COLUMNS = {
    "recommendations": ["text", "section", "status_text"],
    "actions": ["text", "lead"],
    "findings": ["text", "theme"],
}
RECORD_TABLES = tuple(TABLES.values())
# Tables whose rows a link or a journey event may name (links.source_table, target_table).
LINKABLE_TABLES = ("recommendations", "actions", "area_links", "findings")
# Documents stored without a place (by a version before document_paths, or a hand edit).
UNPLACED = (
    "select path, id from documents where parent_id is null"
    " and id not in (select document_id from document_paths)"
)
# The ids given as one parameter, a JSON list (no limit on how many, unlike "in (?, ?, ...)").
LISTED = "(select value from json_each(?))"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Prepared:
    """A file's rows as the store writes them, made where the file was extracted (a worker),
    so that the build's main process only writes them; with the linker's readings of its
    texts (rows of `readings`), when the worker made them."""

    documents: list[dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]]
    readings: list[dict[str, Any]] = field(default_factory=list)
    # what a person should know of the file (see `extract.quality`), each with its kind
    # (`note_row`): the file is stored and they are said
    notes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, extraction: Extraction) -> Prepared:
        tables: dict[str, list[dict[str, Any]]] = {}
        for record in extraction.records:
            tables.setdefault(TABLES[type(record)], []).append(to_row(record))
        return cls(
            [to_row(info) for info in extraction.documents],
            tables,
            notes=[note_row(n) for n in extraction.notes],
        )

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


def insert_all(
    db: sqlite_utils.Database, table: str, rows: Iterable[dict[str, Any]], replace: bool = False
) -> None:
    """Write rows inside the caller's transaction (sqlite-utils nests a savepoint in it)."""
    rows = list(rows)
    if rows:
        db.table(table).insert_all(rows, replace=replace)


def note_row(note: str) -> dict[str, Any]:
    """A note as `documents.notes` holds it: on the whole file or on one page."""
    return {"kind": note_kind(note), "page": note_page(note) or None, "note": note}
