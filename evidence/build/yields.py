"""`evidence yield`: what a build got out of a collection, per family of document and year.

A silent regression in a new layout shows here before a user meets it: a family whose
reports suddenly hold no items or no judgements, or a run of rejections. A report with no
items is right only when it says there is nothing to improve (every grade outstanding).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extract.classify import date_from_file_name

from ..store import Store

COLUMNS = ("family", "year", "stored", "rejected", "no items", "no judgements", "items", "judgements")


@dataclass
class Yield:
    family: str
    year: str
    stored: int = 0
    rejected: int = 0
    no_items: int = 0
    no_judgements: int = 0
    items: int = 0
    judgements: int = 0

    def cells(self) -> tuple[str | int, ...]:
        return (
            self.family,
            self.year,
            self.stored,
            self.rejected,
            self.no_items,
            self.no_judgements,
            self.items,
            self.judgements,
        )


@dataclass
class Report:
    rows: list[Yield]
    # (path, why) of every stored report with no items: expected or to check
    empty: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


# A file's items, with those of the papers inside it when it is a committee pack.
DOCUMENTS = """
with family as (
  select coalesce(parent_id, id) as top, id from documents
)
select d.id, d.path, d.doc_type, d.framework, d.date,
  (select count(*) from recommendations r join family f on f.id = r.document_id where f.top = d.id) as items,
  (select count(*) from judgements j join family f on f.id = j.document_id where f.top = d.id) as judgements,
  (select count(*) from judgements j join family f on f.id = j.document_id
   where f.top = d.id and j.grade != 'Outstanding') as not_outstanding
from documents d
where d.parent_id is null
order by d.path
"""


def family_of(doc_type: str, framework: str | None) -> str:
    return framework or doc_type


def collection_yield(store: Store) -> Report:
    by_key: dict[tuple[str, str], Yield] = {}

    def row(family: str, year: str) -> Yield:
        return by_key.setdefault((family, year), Yield(family, year))

    report = Report(rows=[])
    for doc in store.query(DOCUMENTS):
        found = row(family_of(doc["doc_type"], doc["framework"]), (doc["date"] or "")[:4] or "?")
        found.stored += 1
        found.items += doc["items"]
        found.judgements += doc["judgements"]
        found.no_judgements += doc["judgements"] == 0
        if doc["items"] == 0:
            found.no_items += 1
            expected = doc["judgements"] > 0 and doc["not_outstanding"] == 0
            why = "every grade is outstanding: nothing to improve" if expected else "no items found: check"
            report.empty.append((doc["path"], why))
    for problem in store.query("select path, reason from problems order by path"):
        year = (date_from_file_name(problem["path"]) or "?")[:4]
        row("rejected", year).rejected += 1
        report.rejected.append((problem["path"], problem["reason"]))
    report.rows = [by_key[k] for k in sorted(by_key)]
    return report


def totals(rows: list[Yield]) -> Yield:
    total = Yield("all", "")
    for r in rows:
        for name in ("stored", "rejected", "no_items", "no_judgements", "items", "judgements"):
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
    check = [(p, w) for p, w in report.empty if w.endswith("check")]
    fine = len(report.empty) - len(check)
    lines.append("")
    lines.append(f"No items: {fine} with nothing to improve, {len(check)} to check")
    lines.extend(f"  {path}: {why}" for path, why in check)
    if report.rejected:
        reasons: dict[str, int] = defaultdict(int)
        for _, reason in report.rejected:
            reasons[reason.split(":")[0]] += 1
        lines.append(f"Rejected: {len(report.rejected)}")
        lines.extend(f"  {n} x {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return "\n".join(lines)
