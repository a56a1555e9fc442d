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
from urllib.parse import quote

from extract.errors import EvidenceError
from link.inspections import days_between
from link.model import Row

from .journeys.closure import decider_words, due_by, review_words
from .journeys.formatting import METHOD_WORDS, ordinal, plain_evidence, relation_words
from .journeys.journey import Journey, Journeys, checked_date, journey_of, status_row
from .journeys.rows import Item
from .store import Store
from .workbook import xlsx_bytes

# Where `evidence serve` listens by default: the tracker's links to source pages point there.
SITE_URL = "http://127.0.0.1:8001"
FORMATS = ("xlsx", "csv", "json")

# Each sheet of rows read straight from the store, joined to the document they came from.
SHEETS = {
    "recommendations": """
        select d.authority, case when d.date_precision = 'month' then substr(d.date, 1, 7) else d.date end
               as document_date, d.doc_type, d.title as document, r.label, r.number,
               r.kind, r.body, r.section, r.text, r.status, r.status_text, r.page, r.line, d.path as file, r.id
        from recommendations r join documents d on d.id = r.document_id
        order by d.authority, d.date, r.position""",
    "claims": """
        select d.authority, case when d.date_precision = 'month' then substr(d.date, 1, 7) else d.date end
               as claimed_on, d.title as document, r.label, r.status, r.status_text,
               r.text, r.page, r.line, d.path as file, r.id
        from recommendations r join documents d on d.id = r.document_id
        where r.status is not null
        order by d.authority, d.date, r.position""",
    "links": """
        select authority, target_date as inspected,
               coalesce(target_label, 'unnumbered, listed ' || target_position) as recommendation,
               target_text as recommendation_text, relation, coalesce(source_label, source_area) as item,
               source_text as item_text, source_document as item_document, source_date as item_date,
               method, score, evidence, confirmed, verdict, source_table, source_id, target_id, key
        from link_items
        where target_document_id is not null and (confirmed is null or confirmed != 0)
        order by authority, target_date, target_position, source_date""",
}
ACTIONS = """
    select d.authority, d.date as plan_date, d.date_precision as plan_date_precision, d.title as plan,
           a.area_label as area, a.label, a.text, a.lead, a.target_date, a.target_date_text,
           a.target_date_precision, a.milestones, a.page, a.line, d.path, a.id
    from actions a join documents d on d.id = a.document_id
    order by d.authority, d.date, a.rowid"""
# The line of each recommendation of a text document (the journeys know its page only).
# Dates that only papers dated by their month carry ("July 2016" is stored as 2016-07-01).
MONTH_ONLY = (
    "select date from documents where date is not null group by date "
    "having min(coalesce(date_precision, 'day')) = 'month'"
)
LINES = "select id, line from recommendations where line is not null"


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


def as_printed(iso: str | None, precision: str | None) -> str | None:
    """A date with the precision it was printed with: "2015-04" for "April 2015" (stored as its
    1st), so no reader takes the 1st for the day it is due; the workbook shows it as "April 2015"."""
    return iso[:7] if iso and precision == "month" else iso


def tracker(
    db: str, authority: str | None = None, as_of: str | None = None, site_url: str = SITE_URL
) -> dict[str, list[Row]]:
    """Every sheet of the tracker, as rows: states and days overdue as of `as_of` (default
    today), only the authorities `authority` names (default all)."""
    when = checked_date(as_of) or date.today().isoformat()
    wanted = authorities_for(db, authority)
    store = Store(db)
    try:
        tables = {name: store.query(sql) for name, sql in SHEETS.items()}
        action_rows = store.query(ACTIONS)
        lines = {r["id"]: r["line"] for r in store.query(LINES)}
        month_only = {r["date"] for r in store.query(MONTH_ONLY)}
    finally:
        store.close()
    journeys, action_of = journey_sheet(Journeys.load(db), wanted, when, site_url, lines, month_only)
    actions = [
        action_row(a, action_of.get(a["id"]), when, site_url)
        for a in action_rows
        if wanted is None or a["authority"] in wanted
    ]
    out: dict[str, list[Row]] = {"journeys": journeys, "actions": actions}
    for name, rows in tables.items():
        out[name] = [
            {**placed(r), "source": source_url(site_url, r.get("id") or r.get("source_id"))}
            for r in rows
            if wanted is None or r["authority"] in wanted
        ]
    return out


def file_name(path: str | None) -> str | None:
    """A document's file by its name: the server's folders mean nothing to whoever opens the tracker."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else path


def placed(row: Row) -> Row:
    """A row with its file by name, a text document's item by its line (not its "page 1"), and
    a link's relation, method and evidence in a reader's words."""
    out = dict(row)
    if "relation" in out:
        out["relation"] = relation_words(out["relation"], out["method"], out.get("confirmed"))
        out["method"] = METHOD_WORDS.get(out["method"], out["method"])
        out["evidence"] = plain_evidence(out["evidence"])
    if "file" in out:
        out["file"] = file_name(out["file"])
    if out.get("line"):
        out["page"] = None
    return out


def journey_sheet(
    found: Journeys,
    wanted: list[str] | None,
    when: str,
    site_url: str,
    lines: dict[str, int],
    month_only: set[str],
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
        row = journey_row(found, original, one, actions, when, site_url)
        if original.id in lines:  # a text document's item by its line, not its "page 1"
            row |= {"page": None, "line": lines[original.id]}
        if row["latest_claim_date"] in month_only:  # claimed by a paper dated by its month ("July 2016")
            row["latest_claim_date"] = as_printed(row["latest_claim_date"], "month")
        journeys.append(row)
        for a in actions:
            action_of.setdefault(a["id"], journeys[-1])
    return journeys, action_of


def journey_row(
    found: Journeys, original: Item, one: Journey, actions: list[Row], when: str, site_url: str
) -> Row:
    row = status_row(found, original, one)
    since, days = overdue_since(actions, when) if row.state == "overdue" else (None, None)
    return {
        "authority": row.authority,
        "inspected": row.inspection_date,
        "rec": row.label
        if not row.label.startswith("#")
        else f"unnumbered, {ordinal(row.position or 0)} listed",
        "recommendation": row.text,
        "state": row.state,
        "update": None,  # the officer's own word on it, kept in the workbook
        # who decided it: a person's verdicts, or the linker alone
        "reviewed": review_words(row.reviewed, row.decided_by),
        "decided_by": decider_words(row.decided_by),
        "candidates_to_settle": row.to_settle,
        "lead": "; ".join(dict.fromkeys(a["lead"] for a in actions if a["lead"])),
        "actions": row.actions,
        "latest_target_date": as_printed(row.latest_target_date, row.latest_target_date_precision),
        "overdue_since": since,
        "days_overdue": days,
        "latest_claim": row.latest_claim,
        "latest_claim_date": row.latest_claim_date,
        "recurred_on": row.recurred_on,
        "recurred_in_part": "yes" if row.in_part else None,  # on a person's "partly"
        "document": found.doc(original).title or file_name(found.doc(original).path),
        "page": row.page,
        "line": None,
        "source": source_url(site_url, row.id),
        "as_of": when,
        "id": row.id,
    }


def overdue_since(actions: list[Row], when: str) -> tuple[str | None, int | None]:
    """The first target date missed (as printed: a month when only the month is) and the days
    since it ran out (a month runs to its last day); (None, None) when none is missed."""
    missed = sorted(
        ((due_by(a["target_date"], a["target_date_text"]), a) for a in actions if a["target_date"]),
        key=lambda pair: pair[0],
    )
    missed = [(due, a) for due, a in missed if due < when]
    if not missed:
        return None, None
    due, first = missed[0]
    return as_printed(first["target_date"], "day" if due == first["target_date"] else "month"), days_between(
        due, when
    )


def action_row(a: Row, rec: Row | None, when: str, site_url: str) -> Row:
    """An action of the tracker, with the recommendation it answers and its state."""
    due_on = due_by(a["target_date"], a["target_date_text"]) if a["target_date"] else None
    late = bool(rec and rec["state"] == "overdue" and due_on and due_on < when)
    return {
        **{k: a[k] for k in ("authority", "plan", "area", "label", "text", "lead")},
        "plan_date": as_printed(a["plan_date"], a["plan_date_precision"]),
        "target_date": as_printed(a["target_date"], a["target_date_precision"]),
        "target_date_text": a["target_date_text"],
        "days_overdue": days_between(due_on, when) if late and due_on else None,
        "recommendation": recommendation_name(rec) if rec else None,
        "state": rec["state"] if rec else None,
        "update": None,  # the officer's own word on it, kept in the workbook
        "page": None if a["line"] else a["page"],
        "line": a["line"],
        "source": source_url(site_url, a["id"]),
        "file": file_name(a["path"]),
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
        when = (
            data["journeys"][0]["as_of"]
            if data["journeys"]
            else checked_date(options.as_of) or date.today().isoformat()
        )
        target.write_bytes(xlsx_bytes(data, about_sheet(options, when)))
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


def about_sheet(options: TrackerOptions, when: str) -> list[str]:
    """What the first sheet says: what the tracker is, as of when, and where its links lead."""
    loopback = any(host in options.site_url for host in ("127.0.0.1", "localhost", "[::1]"))
    lines = [
        "Recommendation tracker",
        f"States and days overdue as of {when}"
        + (f", for {options.authority}" if options.authority else ", for every authority in the store")
        + ".",
        "journeys: one row per recommendation an inspection made, with its state, lead, latest target date and "
        "days overdue (counted from the end of the first target date missed: a month, when only the month is "
        "printed). actions: each action of the improvement plans. recommendations, claims, links: what they rest on.",
        "The 'update' columns are yours: write your own word on each row there; a new export does not keep them.",
        "States: open (nothing answers it yet), planned, overdue (an action is past its target date), monitoring, "
        "reported met, closed, possible recurrence, recurred (a later inspection repeats it).",
        f"The 'source page' links open each item on its page on the evidence site at {options.site_url}.",
    ]
    if loopback:
        lines.append(
            "That address is this computer's own: the links work only on the computer running `evidence serve`. "
            "To send the tracker round, export it with --site-url set to where colleagues reach the site "
            "(e.g. evidence export --format xlsx --site-url https://evidence.example.gov.uk)."
        )
    return lines
