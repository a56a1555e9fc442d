"""Improvement plans: the areas for improvement and the action table under each.

A plan prints, per area, a heading ("AREA FOR IMPROVEMENT 2: Improve management
oversight..."), lists headed OBJECTIVES / OUTCOMES / MEASURED BY, and a table of actions
(ACTION | PROGRESS MILESTONES | TARGET DATE | DELIVERY LEAD), one row per numbered action.

`lines_to_sections` splits the document's lines into areas and table *zones* (from a table's
header row to the next area heading). A text export prints a table as tab-separated rows;
in a PDF the zone's lines are a reading-order jumble of cells, so the table is read from the
zone's regions by `extract.tables`. Both give `Row`s, and from there one path,
`rows_to_actions`, makes the actions, so a plan reads the same whichever way it came.
The target dates, milestones and leads in a row's cells are read by `plan_cells`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..dates import precision_of
from ..document import Document, Line, span
from ..items import is_bullet, join, strip_bullet, strip_connector
from ..records import Action, DocumentInfo, Recommendation, Record, Unread
from ..tables import (
    Row,
    cell_to_items,
    lines_to_regions,
    pdf_to_tables,
    row_key,
    rows_with_continuations_joined,
)
from .plan_cells import date_cell_to_dates, items_to_milestones, lead_to_names

AREA_HEADING = re.compile(
    r"^(?P<section>(?:areas?\s+(?:for|of)\s+improvement|recommendation)\s+(?P<label>[ivx]{1,5}|\d{1,3}))"
    r"\s*[:.\-–]\s*(?P<text>.*)$",
    re.I,
)
LIST_LABEL = re.compile(r"^(?P<name>objectives?|outcomes?|measured\s+by)\s*(?::\s*(?P<rest>.*))?$", re.I)
LIST_FIELDS = {"objective": "objectives", "outcome": "outcomes", "measured": "measured_by"}
# Column headings of an action table, capitalised as headings are (prose says "milestones"
# and "target dates" in lower case). Two of them on one printed line make a header row.
HEADER_WORDS = re.compile(
    r"\b(?:(?P<action>ACTIONS?|Actions?)|(?P<milestone>MILESTONES?|(?:Progress )?Milestones?)"
    r"|(?P<date>TARGET DATES?|Target [Dd]ates?|TIMESCALES?|Timescales?)"
    r"|(?P<lead>LEAD|Lead|RESPONSIBLE|Responsible|OWNER|Owner))\b"
)
MIN_HEADER_WORDS = 2
# What is left of a header row whose first line a loader dropped: "DATE", "DELIVERY LEAD".
HEADER_FRAGMENT = re.compile(
    r"^(?:(?:ACTIONS?|PROGRESS|MILESTONES?|TARGET|DATES?|DELIVERY|LEAD|RESPONSIBLE|OWNER|TIMESCALES?)\s*)+$"
)
# A header row is a few capitalised words; a longer line, or one with sentence punctuation
# ("Action plan lead: Jo Siney."), is prose that happens to name two headings.
MAX_HEADER_WORDS = 14
SENTENCE_PUNCTUATION = re.compile(r"[.:;]")
# Cells of one printed row share a top; a PDF may give each its own line.
SAME_ROW = 3.0
# Which column a header cell names; the first column holds the action numbers.
COLUMN_ROLES = (
    ("milestones", re.compile(r"milestone|progress|success", re.I)),
    ("date", re.compile(r"date|timescale|deadline|when", re.I)),
    ("lead", re.compile(r"lead|responsib|owner|officer", re.I)),
)
# "1.1", "12.3a"; a bare "7" only when it fills the cell, as a wrapped line may start with a number
ACTION_LABEL = re.compile(r"^(?P<label>\d{1,3}(?:\.\d{1,3})+[a-z]?)[.)]?(?:\s+(?P<rest>.*))?$", re.S)
BARE_LABEL = re.compile(r"^(?P<label>\d{1,3})[.)]?$")
# "31.03.15" heads a row of figures by date, not an action
DATE_SHAPED = re.compile(r"^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$")
ROMAN = {"i": 1, "v": 5, "x": 10}


@dataclass(frozen=True)
class Columns:
    """Which column holds what in an action table."""

    label: int
    text: int
    milestones: int | None
    date: int | None
    lead: int | None


@dataclass
class AreaLines:
    section: str
    label: str
    heading: list[Line]
    lists: dict[str, list[Line]] = field(default_factory=dict)


# -- areas ---------------------------------------------------------------------------------


def roman_or_number(label: str) -> int:
    if label.isdigit():
        return int(label)
    values = [ROMAN[c] for c in label.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def header_kinds(text: str) -> set[str]:
    return {name for m in HEADER_WORDS.finditer(text) for name, hit in m.groupdict().items() if hit}


def is_header(lines: Sequence[Line], index: int) -> bool:
    """A table's header row starts here: its first printed line names two column headings."""
    line = lines[index]
    if is_bullet(line.text) or split_label(line.cells[0]):
        return False
    row = [line]
    for nxt in lines[index + 1 : index + 6]:
        if line.bbox and nxt.bbox and nxt.page == line.page and abs(nxt.bbox[1] - line.bbox[1]) <= SAME_ROW:
            row.append(nxt)
    text = " ".join(ln.text for ln in row)
    return (
        len(header_kinds(text)) >= MIN_HEADER_WORDS
        and len(text.split()) <= MAX_HEADER_WORDS
        and not SENTENCE_PUNCTUATION.search(text)
    )


def starts_rows(line: Line) -> bool:
    """A table without its header row's first line: a numbered row (tab-separated in a
    text export, any line in a PDF), or what remains of the header."""
    label = split_label(line.cells[0])
    numbered = label and "." in label[0] and ("\t" in line.text or line.bbox is not None)
    return bool(numbered or HEADER_FRAGMENT.match(line.text))


def lines_to_sections(lines: Sequence[Line]) -> tuple[list[AreaLines], list[tuple[str | None, list[Line]]]]:
    """The areas (heading and lists) and the table zones, each with the area it follows."""
    areas: list[AreaLines] = []
    zones: list[tuple[str | None, list[Line]]] = []
    state = "heading"
    for index, line in enumerate(lines):
        heading = AREA_HEADING.match(line.text) if "\t" not in line.text else None
        if heading:
            label = str(roman_or_number(heading.group("label")))
            areas.append(AreaLines(heading.group("section"), label, [line]))
            state = "heading"
        elif state == "table":
            zones[-1][1].append(line)
        elif is_header(lines, index) or (areas and state != "heading" and starts_rows(line)):
            # a table starts at its header row or, after an area's lists, at its first
            # numbered row when the header went (a loader may take a header repeated at
            # page tops for furniture); elsewhere "2.1 Adoption" is a numbered paragraph
            zones.append((areas[-1].label if areas else None, [line]))
            state = "table"
        elif areas:
            state = add_area_line(areas[-1], line, state)
    return areas, zones


def add_area_line(area: AreaLines, line: Line, state: str) -> str:
    listed = LIST_LABEL.match(line.text)
    if listed:
        state = LIST_FIELDS[listed.group("name").lower().split()[0].rstrip("s")]
        rest = listed.group("rest")
        if rest:
            area.lists.setdefault(state, []).append(Line(rest, line.page, line.number, line.bbox))
        return state
    if state == "heading":
        area.heading.append(line)
    else:
        area.lists.setdefault(state, []).append(line)
    return state


def lines_to_items(lines: Sequence[Line]) -> tuple[str, ...]:
    """List items: a bullet starts one, any other line continues it (a wrapped PDF line)."""
    raw: list[str] = []
    for line in lines:
        if is_bullet(line.text):
            raw.append(strip_bullet(line.text))
        elif raw:
            raw[-1] = join([raw[-1], line.text])
        else:
            raw.append(line.text)
    return items_with_sub_items(raw)


def ends_with_and(text: str) -> bool:
    return bool(re.search(r"[;,]?\s+(?:and|or)$", text.strip()))


def items_with_sub_items(raw: Sequence[str]) -> tuple[str, ...]:
    """Items, with the sub-items of one ending in a colon appended to it ("through: a; b; c").

    A text export loses the indent of sub-items, so the sub-list is taken to end with the
    item after its "; and": the connector that marks a list's last-but-one item."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        item = raw[index]
        index += 1
        if item.rstrip().endswith(":") and index < len(raw):
            subs: list[str] = []
            while index < len(raw):
                subs.append(raw[index])
                index += 1
                if ends_with_and(subs[-1]):
                    if index < len(raw):
                        subs.append(raw[index])
                        index += 1
                    break
            item = join([item, "; ".join(strip_connector(s) for s in subs)])
        out.append(strip_connector(item))
    return tuple(item for item in out if item)


def area_to_recommendation(area: AreaLines, info: DocumentInfo) -> Recommendation:
    first = AREA_HEADING.match(area.heading[0].text)
    assert first is not None
    text = join([first.group("text")] + [line.text for line in area.heading[1:]])
    page, bbox = span(area.heading)
    return Recommendation(
        document_id=info.id,
        page=page,
        text=text,
        kind="plan_area",
        label=area.label,
        number=int(area.label),
        section=join([first.group("section")]),
        objectives=lines_to_items(area.lists.get("objectives", [])),
        outcomes=lines_to_items(area.lists.get("outcomes", [])),
        measured_by=lines_to_items(area.lists.get("measured_by", [])),
        bbox=bbox,
    )


# -- action rows ---------------------------------------------------------------------------


def first_line(cell: str) -> str:
    return cell.split("\n", 1)[0].strip()


def split_label(text: str) -> tuple[str, str] | None:
    """A cell that starts with an action's number: (number, the rest of the cell)."""
    text = text.strip()
    numbered = ACTION_LABEL.match(text) or BARE_LABEL.match(text)
    if not numbered or DATE_SHAPED.match(numbered.group("label")):
        return None
    return numbered.group("label"), numbered.groupdict().get("rest") or ""


def has_label(row: Row) -> bool:
    return bool(row.cells) and split_label(first_line(row.cells[0])) is not None


def header_to_columns(header: Sequence[str]) -> Columns:
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        for role, pattern in COLUMN_ROLES:
            if index and role not in roles and pattern.search(cell):
                roles[role] = index
                break
    named = set(roles.values())
    # the action's text: the first column after the numbers that no heading claims; none
    # when one column holds both ("1.1 Undertake ...")
    text = next((i for i in range(1, len(header)) if i not in named), 0)
    return Columns(0, text, roles.get("milestones"), roles.get("date"), roles.get("lead"))


def rows_to_header(rows: Sequence[Row]) -> tuple[str, ...]:
    width = max(len(r.cells) for r in rows)
    return tuple(join(r.cells[i] for r in rows if i < len(r.cells)) for i in range(width))


def rows_to_columns(rows: Sequence[Row]) -> Columns | None:
    """The columns the header rows (those above the first numbered row) name, if any."""
    start = next((i for i, row in enumerate(rows) if has_label(row)), len(rows))
    return header_to_columns(rows_to_header(rows[:start])) if 0 < start < len(rows) else None


def unheaded_columns(rows: Sequence[Row]) -> Columns:
    """Without a header, the usual order: number, text (in the number's cell when the
    numbers have text after them), milestones, target date, lead."""
    numbered = [split_label(first_line(row.cells[0])) for row in rows if row.cells]
    text = 0 if any(found and found[1] for found in numbered) else 1
    return Columns(0, text, text + 1, text + 2, text + 3)


def rows_to_actions(
    rows: Sequence[Row], columns: Columns, area: str | None, info: DocumentInfo
) -> list[Action]:
    """One action per numbered row; rows without a number continue the row above."""
    start = next((i for i, row in enumerate(rows) if has_label(row)), len(rows))
    repeats = {row_key(row) for row in rows[:start]}
    body = [row for row in rows[start:] if row_key(row) not in repeats]
    whole = rows_with_continuations_joined(body, starts_row=has_label)
    return [action for row in whole if (action := row_to_action(row, columns, area, info))]


def cell(row: Row, index: int | None) -> str:
    return row.cells[index] if index is not None and index < len(row.cells) else ""


def row_to_action(row: Row, columns: Columns, area: str | None, info: DocumentInfo) -> Action | None:
    # the label is on the cell's first line; lines joined on below it continue the text
    first, _, after = cell(row, columns.label).partition("\n")
    numbered = split_label(first)
    if numbered is None:
        return None
    label, rest = numbered[0], "\n".join(part for part in (numbered[1], after) if part)
    text_cell = rest if columns.text == columns.label else cell(row, columns.text)
    dates_text = join(cell_to_items(cell(row, columns.date))) or None
    dates = date_cell_to_dates(dates_text or "")
    lead_items = cell_to_items(cell(row, columns.lead))
    return Action(
        document_id=info.id,
        page=row.page,
        label=label,
        text=join(cell_to_items(text_cell)),
        area_label=label.split(".")[0] if "." in label else area,
        milestones=items_to_milestones(cell_to_items(cell(row, columns.milestones)), dates),
        target_date=dates[-1][1] if dates else None,
        target_date_text=dates_text,
        target_date_precision=precision_of(dates[-1][0]) if dates and dates[-1][1] else None,
        lead=join(lead_items) or None,
        leads=tuple(name for item in lead_items for name in lead_to_names(item)),
        bbox=row.bbox,
    )


# -- the parser ----------------------------------------------------------------------------


def zone_to_rows(lines: Sequence[Line]) -> list[Row]:
    return [Row(tuple(line.cells), line.page, line.bbox) for line in lines if "\t" in line.text]


def pdf_zone_rows(doc: Document, zones: Sequence[Sequence[Line]]) -> list[list[Row]]:
    """The rows of each zone's table. A zone runs to the next area heading, so it may also
    hold an unrelated table (a glossary after the last area): a later table counts only
    when it has numbered rows, as the part of an action table that failed to stitch has."""
    found = pdf_to_tables(doc.path, [lines_to_regions(doc, lines) for lines in zones])
    return [
        [
            row
            for i, table in enumerate(tables)
            if i == 0 or any(map(has_label, table.rows))
            for row in table.rows
        ]
        for tables in found
    ]


def parse_plan(doc: Document, info: DocumentInfo) -> list[Record]:
    areas, zones = lines_to_sections(doc.lines)
    if not areas and not zones:
        return []
    records: list[Record] = [area_to_recommendation(a, info) for a in areas]
    if doc.is_pdf:
        zone_rows = pdf_zone_rows(doc, [lines for _, lines in zones])
    else:
        zone_rows = [zone_to_rows(lines) for _, lines in zones]
    columns = None
    for (area, zone), rows in zip(zones, zone_rows, strict=True):
        # a table whose header was lost reads like the table before it
        columns = rows_to_columns(rows) or columns or unheaded_columns(rows)
        actions = rows_to_actions(rows, columns, area, info)
        records.extend(actions)
        if not actions and zone:  # a table's header and no action read under it (issue #20)
            section = f"action table{f' (area {area})' if area else ''}"
            records.append(Unread(info.id, zone[0].page, section, zone[0].bbox))
    return records
