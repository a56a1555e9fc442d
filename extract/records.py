"""The typed records that extraction produces; field names equal the store's columns.

Every record knows its source: `document_id`, a 1-based `page` and, for PDFs, a `bbox`
`(x0, top, x1, bottom)` in PDF points on that page. Parsers leave `id` empty; the pipeline
numbers records per document so that ids are stable across rebuilds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class DocumentInfo:
    """One row of `documents`: a file, or one document inside a committee pack."""

    id: str
    path: str
    sha256: str
    doc_type: str
    pages: int
    extractor_version: str
    title: str | None = None
    authority: str | None = None
    date: str | None = None
    date_text: str | None = None
    framework: str | None = None
    theme: str | None = None
    deep_dive: str | None = None
    parent_id: str | None = None
    first_page: int = 1
    last_page: int = 1
    first_line: int | None = None
    last_line: int | None = None


@dataclass(frozen=True)
class Recommendation:
    document_id: str
    page: int
    text: str
    kind: str
    # 1-based order among the document's recommendations, numbered by the pipeline: several
    # parsers may read one document, and parsers return their records in reading order
    position: int = 0
    label: str | None = None
    number: int | None = None
    body: str | None = None
    # to whom the item is addressed as printed, where a table names it ("Bury Council and NHS
    # Greater Manchester ICB"); `body` is the same in the field's vocabulary
    addressed_to: str | None = None
    section: str | None = None
    # a topic sub-heading under the section ("Care leavers", "Leadership, management and governance")
    theme: str | None = None
    status: str | None = None
    status_text: str | None = None
    timescale: str | None = None
    sub_items: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    # an improvement plan's area: what it prints under OBJECTIVES / OUTCOMES / MEASURED BY
    objectives: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    measured_by: tuple[str, ...] = ()
    bbox: BBox | None = None
    id: str = ""


@dataclass(frozen=True)
class Milestone:
    text: str
    date_text: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Action:
    document_id: str
    page: int
    label: str
    text: str
    area_label: str | None = None
    milestones: tuple[Milestone, ...] = ()
    target_date: str | None = None
    target_date_text: str | None = None
    lead: str | None = None
    leads: tuple[str, ...] = ()
    bbox: BBox | None = None
    id: str = ""


@dataclass(frozen=True)
class Finding:
    document_id: str
    page: int
    kind: str
    text: str
    theme: str | None = None
    section: str | None = None
    bbox: BBox | None = None
    id: str = ""


@dataclass(frozen=True)
class Judgement:
    document_id: str
    page: int
    area: str
    grade: str
    grade_text: str | None = None
    bbox: BBox | None = None
    id: str = ""


@dataclass(frozen=True)
class Measure:
    document_id: str
    page: int
    name: str
    ref: str | None = None
    polarity: str | None = None
    target: str | None = None
    values: tuple[tuple[str, str | None], ...] = ()
    rag: str | None = None
    table: str | None = None
    other: tuple[tuple[str, str | None], ...] = ()
    bbox: BBox | None = None
    id: str = ""


@dataclass(frozen=True)
class AreaLink:
    """A printed "Area | Link to Recommendation" row: the council's own cross-reference."""

    document_id: str
    page: int
    area: str | None
    labels: tuple[str, ...]
    table: str | None = None
    bbox: BBox | None = None
    id: str = ""


Record = Recommendation | Action | Finding | Judgement | Measure | AreaLink


@dataclass(frozen=True)
class Extraction:
    """Everything one file yields: its documents (a pack and its parts) and their records."""

    documents: tuple[DocumentInfo, ...]
    records: tuple[Record, ...] = ()


# -- records as rows ---------------------------------------------------------------------------
# The one place a record becomes a row of its table and a row becomes a record again: tuples
# are stored as JSON (a list, or an object for (key, value) pairs), a field named as an SQL
# keyword under another column name.

RENAMED = {"table": "table_title"}

R = TypeVar("R", bound="DataclassInstance")


def to_json(value: Any) -> str | None:
    if value in ((), None):
        return None
    if isinstance(value, tuple) and value and isinstance(value[0], Milestone):
        return json.dumps([asdict(m) for m in value], ensure_ascii=False)
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return json.dumps(dict(value), ensure_ascii=False)  # (key, value) pairs: periods, columns
    return json.dumps(list(value), ensure_ascii=False)


def to_row(record: Any) -> dict[str, Any]:
    """A record (any dataclass) as a row: tuples become JSON, boxes become JSON lists."""
    row: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            value = to_json(value)
        row[RENAMED.get(f.name, f.name)] = value
    return row


def from_row(cls: type[R], row: Mapping[str, Any]) -> R:
    """A record of `cls` (any dataclass) from a row of its table, or a dict of that shape:
    JSON becomes tuples again, and a column the row lacks (or holds NULL in) takes the field's
    default. The row may have more columns than the record has fields."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        value = row.get(RENAMED.get(f.name, f.name))
        if value is None and (f.default is not MISSING or f.default_factory is not MISSING):
            continue
        values[f.name] = from_json(value, str(f.type)) if str(f.type).startswith(TUPLE_TYPES) else value
    return cls(**values)


# Field types stored as JSON (`from __future__ import annotations` leaves them as strings).
TUPLE_TYPES = ("tuple[", "BBox")


def from_json(value: Any, kind: str) -> tuple[Any, ...] | None:
    """A stored JSON list or object as a tuple (of (key, value) pairs for an object, of
    Milestones for milestones); a text that is not JSON is a list of one."""
    if value is None or value == "":
        return None if "None" in kind else ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return (value,)
    if isinstance(value, dict):  # (key, value) pairs
        return tuple(value.items())
    if not isinstance(value, (list, tuple)):
        return (value,)
    if "Milestone" in kind:
        return tuple(Milestone(**m) if isinstance(m, dict) else m for m in value)
    if kind.startswith("tuple[str"):
        return tuple(str(v) for v in value)
    return tuple(value)
