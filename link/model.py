"""What the linker produces, and the small readings of store rows it needs."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .text import PARAGRAPH_REFS

Row = dict[str, Any]

SUGGESTED = "suggested"  # the method of a candidate kept for review (see link/stages.py)


@dataclass(frozen=True)
class Link:
    source_table: str
    source_id: str
    target_table: str
    target_id: str
    relation: str
    method: str
    score: float
    evidence: str

    @property
    def ends(self) -> tuple[str, str, str, str, str]:
        """The rows it joins and how: one link per ends in a build. Not its identity in the
        store, which keys a link by its rows' fingerprints (evidence/store/links.py)."""
        return (self.source_table, self.source_id, self.relation, self.target_table, self.target_id)

    def to_row(self) -> Row:
        return asdict(self)


@dataclass
class LinkReport:
    """The links, and what a reviewer should know that is not a link: candidates just below
    the bar (suggestions for `evidence review`), numbers whose texts disagree,
    cross-references to recommendations that do not exist."""

    links: list[Link] = field(default_factory=list)
    suggestions: list[Link] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Rec:
    """A stored recommendation as the linker reads it (a row of `recommendations`)."""

    id: str
    document_id: str
    kind: str
    text: str
    label: str | None = None
    number: int | None = None
    position: int = 0
    section: str | None = None
    body: str | None = None
    status: str | None = None
    sub_items: tuple[str, ...] = ()
    theme: str | None = None  # a finding's printed heading

    @classmethod
    def from_row(cls, row: Row) -> Rec:
        return cls(
            id=str(row["id"]),
            document_id=str(row["document_id"]),
            kind=str(row.get("kind") or ""),
            text=str(row.get("text") or ""),
            label=_text(row.get("label")),
            number=None if row.get("number") is None else int(row["number"]),
            position=int(row.get("position") or 0),
            section=_text(row.get("section")),
            body=_text(row.get("body")),
            status=_text(row.get("status")),
            sub_items=tuple(s for s in json_list(row.get("sub_items")) if s.strip()),
            theme=_text(row.get("theme")),
        )


@dataclass(frozen=True)
class Action:
    """An improvement-plan action (a row of `actions`)."""

    id: str
    document_id: str
    label: str
    text: str
    area_label: str | None = None
    target_date: str | None = None

    @classmethod
    def from_row(cls, row: Row) -> Action:
        return cls(
            id=str(row["id"]),
            document_id=str(row["document_id"]),
            label=str(row.get("label") or ""),
            text=str(row.get("text") or ""),
            area_label=_text(row.get("area_label")),
            target_date=_text(row.get("target_date")),
        )


@dataclass(frozen=True)
class AreaLink:
    """A printed "Area | Link to Recommendation" row (a row of `area_links`)."""

    id: str
    document_id: str
    area: str | None
    labels: tuple[str, ...]
    table_title: str | None = None

    @classmethod
    def from_row(cls, row: Row) -> AreaLink:
        return cls(
            id=str(row["id"]),
            document_id=str(row["document_id"]),
            area=_text(row.get("area")),
            labels=tuple(json_list(row.get("labels"))),
            table_title=_text(row.get("table_title")),
        )


@dataclass(frozen=True)
class Item:
    """A stored row a journey shows: a recommendation, an action or an "Area | Link" row,
    with the columns the journeys read (those a table lacks are None)."""

    table: str
    id: str
    document_id: str
    page: int | None = None
    kind: str | None = None
    label: str | None = None
    position: int | None = None
    body: str | None = None
    text: str | None = None
    status: str | None = None
    status_text: str | None = None
    target_date: str | None = None
    target_date_text: str | None = None
    lead: str | None = None

    @classmethod
    def from_row(cls, table: str, row: Row) -> Item:
        return cls(
            table=table,
            id=str(row["id"]),
            document_id=str(row["document_id"]),
            page=None if row.get("page") is None else int(row["page"]),
            kind=_text(row.get("kind")) or {"actions": "action", "area_links": "area"}.get(table),
            label=_text(row.get("label")),
            position=None if row.get("position") is None else int(row["position"]),
            body=_text(row.get("body")),
            text=_text(row.get("text") or row.get("area")),
            status=_text(row.get("status")),
            status_text=_text(row.get("status_text")),
            target_date=_text(row.get("target_date")),
            target_date_text=_text(row.get("target_date_text")),
            lead=_text(row.get("lead")),
        )


@dataclass(frozen=True)
class StoredLink:
    """A row of the store's `links`, with a person's verdict (`confirmed`)."""

    source_table: str
    source_id: str
    target_table: str
    target_id: str
    relation: str
    method: str
    score: float
    evidence: str
    confirmed: int | None = None

    @classmethod
    def from_row(cls, row: Row) -> StoredLink:
        return cls(
            source_table=str(row["source_table"]),
            source_id=str(row["source_id"]),
            target_table=str(row["target_table"]),
            target_id=str(row["target_id"]),
            relation=str(row["relation"]),
            method=str(row.get("method") or ""),
            score=float(row.get("score") or 0.0),
            evidence=str(row.get("evidence") or ""),
            confirmed=None if row.get("confirmed") is None else int(row["confirmed"]),
        )


def number_of(row: Rec, position: int) -> int | None:
    """A recommendation's number; an unnumbered list item (ILACS) is known by its place."""
    if row.number is not None:
        return row.number
    return None if row.label else position + 1


def name_of(row: Rec, position: int | None = None) -> str:
    if row.label:
        return f"recommendation {row.label}"
    return f"item {position + 1 if position is not None else row.position or '?'}"


def label_number(label: str) -> int | None:
    match = re.fullmatch(r"\s*(\d+)[a-z]?\s*", str(label))
    return int(match.group(1)) if match else None


def json_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def short(text: str, most: int = 50) -> str:
    text = " ".join(PARAGRAPH_REFS.sub("", str(text)).split()).replace(" .", ".")
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def unique(links: list[Link]) -> list[Link]:
    """One link per ends, the best scored."""
    best: dict[tuple[str, ...], Link] = {}
    for link in links:
        if link.ends not in best or link.score > best[link.ends].score:
            best[link.ends] = link
    return list(best.values())
