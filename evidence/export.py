"""`evidence export`: the tracker a council keeps, as an Excel workbook, CSV files or JSON.

One sheet per thing a council tracks: journeys (each recommendation with its lead, target date,
days overdue and closure state as of a date), actions, recommendations, claims and links. Every
row names its source page on the site (`evidence serve`) and its file, so it can be checked.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from extract.errors import EvidenceError
from link.inspections import days_between
from link.model import Row

from .journeys.closure import due_by, review_words
from .journeys.journey import Journey, Journeys, checked_date, journey_of, status_row
from .journeys.rows import Item
from .store import Store

# Where `evidence serve` listens by default: the tracker's links to source pages point there.
SITE_URL = "http://127.0.0.1:8001"
# Widest a column of the workbook is drawn (characters); long texts wrap instead.
MAX_WIDTH = 60
FORMATS = ("xlsx", "csv", "json")

# Each sheet of rows read straight from the store, joined to the document they came from.
SHEETS = {
    "recommendations": """
        select d.authority, d.date as document_date, d.doc_type, d.title as document, r.label, r.number,
               r.kind, r.body, r.section, r.text, r.status, r.status_text, r.page, d.path, r.id
        from recommendations r join documents d on d.id = r.document_id
        order by d.authority, d.date, r.position""",
    "claims": """
        select d.authority, d.date as claimed_on, d.title as document, r.label, r.status, r.status_text,
               r.text, r.page, d.path, r.id
        from recommendations r join documents d on d.id = r.document_id
        where r.status is not null
        order by d.authority, d.date, r.position""",
    "links": """
        select authority, target_label as recommendation, relation, coalesce(source_label, source_area) as item,
               source_text as item_text, source_document as item_document, source_date as item_date,
               method, score, evidence, confirmed, source_table, source_id, target_id, key
        from link_items
        where target_document_id is not null and (confirmed is null or confirmed != 0)
        order by authority, target_date, target_position, source_date""",
}
ACTIONS = """
    select d.authority, d.date as plan_date, d.title as plan, a.area_label as area, a.label, a.text, a.lead,
           a.target_date, a.target_date_text, a.milestones, a.page, d.path, a.id
    from actions a join documents d on d.id = a.document_id
    order by d.authority, d.date, a.rowid"""
# Columns written as dates (real dates in a workbook, so they sort and filter as dates).
DATE_COLUMNS = {
    "inspected",
    "document_date",
    "claimed_on",
    "item_date",
    "plan_date",
    "target_date",
    "latest_target_date",
    "latest_claim_date",
    "recurred_on",
    "as_of",
}


def authorities_of(db: str) -> list[str]:
    store = Store(db)
    try:
        rows = store.query("select distinct authority from documents where authority is not null")
    finally:
        store.close()
    return sorted(r["authority"] for r in rows)


def matching_authorities(known: list[str], wanted: str) -> list[str]:
    """The authorities a name means: the one it names exactly, else every one whose name has
    it as a word ("Cheshire" is Cheshire East and Cheshire West and Chester)."""
    want = " ".join(wanted.lower().split())
    exact = [a for a in known if a.lower() == want]
    if exact:
        return exact
    return [
        a for a in known if f" {want} " in f" {' '.join(a.lower().split())} " or a.lower().startswith(want)
    ]


def authorities_for(db: str, wanted: str | None) -> list[str] | None:
    """The authorities `--authority` names (None: all), or an error listing those the store has."""
    if not wanted:
        return None
    known = authorities_of(db)
    found = matching_authorities(known, wanted)
    if not found:
        raise EvidenceError(
            f"no authority '{wanted}' in {db}: it has {', '.join(known) or 'none'}; "
            "give one of those (or a word of one, e.g. --authority Cheshire)"
        )
    return found


def source_url(site_url: str, item_id: str | None) -> str | None:
    return f"{site_url.rstrip('/')}/source/{quote(item_id)}" if item_id else None


def recommendation_name(journey: Row) -> str:
    """How a tracker names the recommendation an action answers: "6 (inspection of 2015-01-06)"."""
    if journey["inspected"]:
        return f"{journey['rec']} (inspection of {journey['inspected']})"
    return f"{journey['rec']} (restated in {journey['document']})"


def tracker(
    db: str, authority: str | None = None, as_of: str | None = None, site_url: str = SITE_URL
) -> dict[str, list[Row]]:
    """Every sheet of the tracker, as rows: states and days overdue as of `as_of` (default
    today), only the authorities `authority` names (default all)."""
    when = checked_date(as_of) or date.today().isoformat()
    wanted = authorities_for(db, authority)
    journeys, action_of = journey_sheet(Journeys.load(db), wanted, when, site_url)
    store = Store(db)
    try:
        tables = {name: store.query(sql) for name, sql in SHEETS.items()}
        action_rows = store.query(ACTIONS)
    finally:
        store.close()
    actions = [
        action_row(a, action_of.get(a["id"]), when, site_url)
        for a in action_rows
        if wanted is None or a["authority"] in wanted
    ]
    out: dict[str, list[Row]] = {"journeys": journeys, "actions": actions}
    for name, rows in tables.items():
        out[name] = [
            {**r, "source": source_url(site_url, r.get("id") or r.get("source_id"))}
            for r in rows
            if wanted is None or r["authority"] in wanted
        ]
    return out


def journey_sheet(
    found: Journeys, wanted: list[str] | None, when: str, site_url: str
) -> tuple[list[Row], dict[str, Row]]:
    """A row per original recommendation of the wanted authorities, and the row each action
    answers, by the action's id."""
    journeys: list[Row] = []
    action_of: dict[str, Row] = {}
    for original in found.originals():
        if wanted is not None and found.doc(original).authority not in wanted:
            continue
        one = journey_of(found, original, when)
        actions = [e for e in one.events if e["table"] == "actions"]
        journeys.append(journey_row(found, original, one, actions, when, site_url))
        for a in actions:
            action_of.setdefault(a["id"], journeys[-1])
    return journeys, action_of


def journey_row(
    found: Journeys, original: Item, one: Journey, actions: list[Row], when: str, site_url: str
) -> Row:
    row = status_row(found, original, one)
    due = [due_by(a["target_date"], a["target_date_text"]) for a in actions if a["target_date"]]
    overdue = sorted(d for d in due if d < when)
    return {
        "authority": row.authority,
        "inspected": row.inspection_date,
        "rec": row.label,
        "recommendation": row.text,
        "state": row.state,
        # who decided it: a person's verdicts, or the linker alone
        "reviewed": review_words(row.reviewed),
        "decided_by": row.decided_by,
        "candidates_to_settle": row.to_settle,
        "lead": "; ".join(dict.fromkeys(a["lead"] for a in actions if a["lead"])),
        "actions": row.actions,
        "latest_target_date": row.latest_target_date,
        "days_overdue": days_between(overdue[0], when) if row.state == "overdue" and overdue else None,
        "latest_claim": row.latest_claim,
        "latest_claim_date": row.latest_claim_date,
        "recurred_on": row.recurred_on,
        "document": found.doc(original).title or found.doc(original).path,
        "page": row.page,
        "source": source_url(site_url, row.id),
        "as_of": when,
        "id": row.id,
    }


def action_row(a: Row, rec: Row | None, when: str, site_url: str) -> Row:
    """An action of the tracker, with the recommendation it answers and its state."""
    due_on = due_by(a["target_date"], a["target_date_text"]) if a["target_date"] else None
    late = bool(rec and rec["state"] == "overdue" and due_on and due_on < when)
    return {
        **{k: a[k] for k in ("authority", "plan_date", "plan", "area", "label", "text", "lead")},
        "target_date": a["target_date"],
        "target_date_text": a["target_date_text"],
        "days_overdue": days_between(due_on, when) if late and due_on else None,
        "recommendation": recommendation_name(rec) if rec else None,
        "state": rec["state"] if rec else None,
        "page": a["page"],
        "source": source_url(site_url, a["id"]),
        "path": a["path"],
        "as_of": when,
        "id": a["id"],
    }


@dataclass(frozen=True)
class TrackerOptions:
    """Which tracker: the authorities `authority` names (default all), states and days overdue
    as of `as_of` (default today), each row linking to its source page at `site_url`."""

    authority: str | None = None
    as_of: str | None = None
    site_url: str = SITE_URL


def export(
    db: str, fmt: str, out: str | None = None, options: TrackerOptions | None = None, force: bool = False
) -> str:
    """Write the tracker (`tracker`) as an xlsx workbook, a JSON file or a folder of CSV files."""
    options = options or TrackerOptions()
    if fmt not in FORMATS:
        raise EvidenceError(f"unknown format {fmt!r}: give one of {', '.join(FORMATS)}")
    target = Path(out or ("tracker" if fmt == "csv" else f"tracker.{fmt}"))
    if fmt != "csv" and not target.parent.is_dir():
        raise EvidenceError(f"cannot write {target}: the folder {target.parent} does not exist")
    data = tracker(db, options.authority, options.as_of, options.site_url)
    files = [target / f"{name}.csv" for name in data] if fmt == "csv" else [target]
    check_targets(target, files, fmt, force)
    if fmt == "json":
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EvidenceError(
                f"cannot make the folder {target} ({exc.strerror}): pass another --out"
            ) from None
        for name, rows in data.items():
            write_csv(target / f"{name}.csv", rows)
    else:
        target.write_bytes(xlsx_bytes(data))
    return str(target)


def check_targets(target: Path, files: list[Path], fmt: str, force: bool) -> None:
    """Nothing is overwritten without --force; with it, a link standing at a target is
    replaced, never the file it points to."""
    if fmt == "csv" and (target.is_symlink() or target.exists()) and not target.is_dir():
        raise EvidenceError(
            f"cannot write the CSV files into {target}: a file stands there; pass a folder as --out"
        )
    if fmt != "csv" and target.is_dir():
        raise EvidenceError(f"cannot write {target}: it is a folder; pass a file name as --out")
    for path in files:
        if not (path.exists() or path.is_symlink()):
            continue
        if not force:
            raise EvidenceError(f"{path} already exists: pass --force to overwrite it, or another --out")
        if path.is_symlink():
            path.unlink()


def write_csv(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def cell_value(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def xlsx_bytes(data: dict[str, list[Row]]) -> bytes:
    """The workbook: one sheet each, headers frozen and bold, filters on, columns sized, dates as
    dates, source pages as links."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        if not rows:
            sheet.append([f"No {name} in the store for this selection."])
            continue
        columns = list(rows[0])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([cell_value(c, row[c]) for c in columns])
        for index, column in enumerate(columns, 1):
            format_column(sheet, index, column, rows)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def format_column(sheet: Any, index: int, column: str, rows: list[Row]) -> None:
    """A column sized to its longest value (long texts wrap), dates as dates, links as links."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    values = [str(r[column]) for r in rows if r[column] is not None]
    longest = max([len(column), *(len(v) for v in values)])
    sheet.column_dimensions[letter].width = min(longest + 2, MAX_WIDTH) if column != "source" else 14
    for cell in sheet[letter][1:]:
        if column in DATE_COLUMNS and isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
        elif column == "source" and cell.value:
            cell.hyperlink = cell.value
            cell.value = "source page"
            cell.style = "Hyperlink"
        elif longest > MAX_WIDTH:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
