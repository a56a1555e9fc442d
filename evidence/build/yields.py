"""`evidence yield`: what a build got out of a collection, per family of document and year.

A silent regression in a new layout shows here before a user meets it: a section the parsers
know ("What needs to improve?", a judgement table) found in a report and read as empty, or a
run of rejections. Sections are counted found against read: a section read gave at least one
item (each heading the items stand under, and a report's judgements, count once); a section
found and not read is one the document's extraction said it could not read (`unread`, also in
`problems`). A report with no items is no longer a sign by itself: an outstanding report may
still print what needs to improve, and a letter may rightly have nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from extract.classify import date_from_file_name

from ..store import Store

COLUMNS = ("family", "year", "stored", "rejected", "sections found", "read", "unread", "items", "judgements")


@dataclass
class Yield:
    family: str
    year: str
    stored: int = 0
    rejected: int = 0
    sections_found: int = 0
    sections_read: int = 0
    items: int = 0
    judgements: int = 0

    @property
    def sections_unread(self) -> int:
        return self.sections_found - self.sections_read

    def cells(self) -> tuple[str | int, ...]:
        return (
            self.family,
            self.year,
            self.stored,
            self.rejected,
            self.sections_found,
            self.sections_read,
            self.sections_unread,
            self.items,
            self.judgements,
        )


@dataclass
class Report:
    rows: list[Yield]
    # (path, reason) of every section found and read as empty, one line per section
    unread: list[tuple[str, str]] = field(default_factory=list)
    # (path, reason) of every file that was not stored
    rejected: list[tuple[str, str]] = field(default_factory=list)


# A file's sections read and items, with those of the papers inside it when it is a pack:
# a section read is a heading its items stand under, or its judgements as a whole.
DOCUMENTS = """
with family as (
  select coalesce(parent_id, id) as top, id from documents
)
select d.id, d.path, d.doc_type, d.framework, d.date,
  (select count(*) from recommendations r join family f on f.id = r.document_id where f.top = d.id) as items,
  (select count(*) from judgements j join family f on f.id = j.document_id where f.top = d.id) as judgements,
  (select count(distinct r.document_id || '|' || coalesce(r.section, '')) from recommendations r
   join family f on f.id = r.document_id where f.top = d.id)
  + (select count(distinct j.document_id) from judgements j join family f on f.id = j.document_id
     where f.top = d.id) as sections_read,
  (select json_group_array(p.unread) from documents p where coalesce(p.parent_id, p.id) = d.id
   and p.unread is not null and p.unread != '[]') as unread
from documents d
where d.parent_id is null
order by d.path
"""


def family_of(doc_type: str, framework: str | None) -> str:
    return framework or doc_type


def unread_reasons(cell: str | None) -> list[str]:
    """The reasons of a file's documents' `unread` lists (a JSON list of JSON lists)."""
    return [reason for listed in json.loads(cell or "[]") for reason in json.loads(listed)]


def collection_yield(store: Store) -> Report:
    by_key: dict[tuple[str, str], Yield] = {}

    def row(family: str, year: str) -> Yield:
        return by_key.setdefault((family, year), Yield(family, year))

    report = Report(rows=[])
    stored = set()
    for doc in store.query(DOCUMENTS):
        stored.add(doc["path"])
        found = row(family_of(doc["doc_type"], doc["framework"]), (doc["date"] or "")[:4] or "?")
        reasons = unread_reasons(doc["unread"])
        found.stored += 1
        found.items += doc["items"]
        found.judgements += doc["judgements"]
        found.sections_read += doc["sections_read"]
        found.sections_found += doc["sections_read"] + len(reasons)
        report.unread.extend((doc["path"], reason) for reason in reasons)
    for problem in store.query("select path, reason from problems order by path"):
        if problem["path"] in stored:
            continue  # stored with a section read as empty: counted above
        year = (date_from_file_name(problem["path"]) or "?")[:4]
        row("rejected", year).rejected += 1
        report.rejected.append((problem["path"], problem["reason"]))
    report.rows = [by_key[k] for k in sorted(by_key)]
    return report


def totals(rows: list[Yield]) -> Yield:
    total = Yield("all", "")
    for r in rows:
        for name in ("stored", "rejected", "sections_found", "sections_read", "items", "judgements"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total


def format_report(report: Report) -> str:
    table = [COLUMNS, *(r.cells() for r in report.rows), totals(report.rows).cells()]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            str(c).rjust(w) if i > 1 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"Sections found and read as empty: {len(report.unread)}")
    lines.extend(f"  {path}: {why}" for path, why in report.unread)
    if report.rejected:
        reasons: dict[str, int] = defaultdict(int)
        for _, reason in report.rejected:
            reasons[reason.split(":")[0]] += 1
        lines.append(f"Rejected: {len(report.rejected)}")
        lines.extend(f"  {n} x {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return "\n".join(lines)
