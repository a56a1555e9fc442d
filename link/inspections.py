"""Documents seen as the linker sees them: whose they are, when, and which inspection they answer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extract.records import from_row
from extract.vocab import INSPECTION_TYPES

from .model import Row

# What an inspection asks of the council: its recommendations, or the key findings that
# pre-2013 reports listed in their place.
ORIGINAL_KINDS = ("recommendation", "key_finding")
# "the Ofsted inspection in 2012", "the 2012 inspection", "inspection of ... in September 2012"
NAMED_INSPECTION = re.compile(
    r"\b((?:19|20)\d{2})\s+(?:ofsted\s+|single\s+|ilacs\s+)?inspection\b"
    r"|\binspection\b[^.;:]{0,80}?\bin\s+(?:[a-z]+\s+)?((?:19|20)\d{2})\b",
    re.I,
)


@dataclass(frozen=True)
class Doc:
    id: str
    authority: str | None
    doc_type: str
    date: str | None  # the document's own date, or its pack's when it prints none
    title: str
    path: str
    parent_id: str | None
    framework: str | None = None

    @property
    def is_inspection(self) -> bool:
        return self.doc_type in INSPECTION_TYPES

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def describe(self) -> str:
        kind = self.doc_type.replace("_", " ")
        return f"{self.authority} {kind} of {self.date or 'no date'}"


def doc_of(row: Row, parent: Row | None = None) -> Doc:
    """A `documents` row; a paper inside a pack takes the pack's date and authority when it
    prints none."""
    parent = parent or {}
    return from_row(
        Doc,
        row
        | {
            "authority": row.get("authority") or parent.get("authority"),
            "doc_type": row.get("doc_type") or "other",
            "date": row.get("date") or parent.get("date"),
            "title": row.get("title") or "",
            "path": row.get("path") or "",
        },
    )


def rows_to_docs(documents: Iterable[Row]) -> dict[str, Doc]:
    rows = {row["id"]: row for row in documents}
    return {ident: doc_of(row, rows.get(row.get("parent_id") or "")) for ident, row in rows.items()}


def named_year(doc: Doc, headings: Iterable[str | None]) -> int | None:
    """The year of the inspection a document says it answers, from its title and headings."""
    for text in [doc.title, *headings]:
        for match in NAMED_INSPECTION.finditer(text or ""):
            return int(match.group(1) or match.group(2))
    return None


def answered_inspection(doc: Doc, inspections: list[Doc], named: int | None) -> Doc | None:
    """The inspection a document answers: the one it names, else the most recent of its
    authority on or before its date. `inspections` are one authority's, oldest first."""
    if named is not None:
        same_year = [i for i in inspections if i.year == named]
        return same_year[-1] if same_year else None
    if not doc.date:
        return None
    earlier = [i for i in inspections if i.date and i.date <= doc.date]
    return earlier[-1] if earlier else None


def days_between(a: str | None, b: str | None) -> int | None:
    """Days from one ISO date to the other, whichever is first; None when either is missing."""
    from datetime import date

    if not a or not b:
        return None
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return None
