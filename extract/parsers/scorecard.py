"""Scorecards: a council's KPI table, one measure per row, kept by column position.

The header row says what each column holds: the reference, the measure's name, its
polarity, a target, RAG, one column per reporting period ("Yr. end 18-19", "Qu 1 19-20"),
and whatever else the council prints (comparators, plan priorities), which is kept in
`other` under its printed heading. A row with a single filled cell is a group heading
("Priority 1 - Being a Good Corporate Parent"); the measures under it carry it in `other`
as "group". RAG is kept as printed (an emoji, a word, a letter): councils draw their own
faces and colours, and a document's prose may disagree with the face it prints.

Text exports give rows as tab-separated lines; PDFs give them through pdfplumber's tables,
asked for only on the pages that look like they hold a scorecard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..cells import printed_cell
from ..document import Document, Line, Page, span
from ..records import DocumentInfo, Measure
from ..tables import open_pdf, page_tables

# Header texts that give a column its role (matched on the whole cell, case-insensitive).
ROLE_HEADERS = {
    "ref": re.compile(r"(?:kpi |pi |indicator |measure )?(?:ref\.?|reference|no\.?|id)", re.I),
    "name": re.compile(
        r"(?:performance |key performance )?(?:measure|indicator|kpi|description|name|metric)s?", re.I
    ),
    "polarity": re.compile(r"polarity|good is|(?:is )?(?:high|low)(?:er)? (?:is )?(?:good|better)", re.I),
    "target": re.compile(r".*\btarget\b.*", re.I),
    "rag": re.compile(r"rag(?: rating| status)?|status", re.I),
}
# A header row names a reference or a name column and at least this many other roles
# (all period columns together count as one): fewer is an ordinary table.
MIN_HEADER_ROLES = 2
# The key under which a measure carries the group heading it is printed under.
GROUP_KEY = "group"

YEAR_PAIR = re.compile(r"\b((?:19|20)?\d{2})\s?[-/–]\s?((?:19|20)?\d{2})\b")
PERIOD_WORD = re.compile(
    r"\b(?:(?:19|20)\d{2}|q[1-4]|(?:qu|qtr|quarter)\.?\s*[1-4]|yr|year|ytd|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"january|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)
DATE = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
# A KPI reference at the start of a PDF line ("P3.14 Number of ..."): how a scorecard page shows.
REF_START = re.compile(r"^[A-Z]{1,5}\s?\d{1,3}(?:\.\d{1,3})*[a-z]?\b")
# A page with this many lines starting with a KPI reference holds a scorecard even when its
# header row was not repeated (or was taken for a running header).
MIN_REF_LINES = 3
HEADER_WORDS = re.compile(r"\b(?:Ref|Polarity|Target|RAG)\b")


@dataclass(frozen=True)
class Columns:
    """What each column of a scorecard holds, read from its header row."""

    width: int
    name: int
    ref: int | None = None
    polarity: int | None = None
    target: int | None = None
    rag: int | None = None
    periods: tuple[tuple[int, str], ...] = ()
    other: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Row:
    """One printed table row: its cells (empty ones None) and the lines it is printed on."""

    cells: tuple[str | None, ...]
    lines: tuple[Line, ...]
    page: int


def is_period(text: str | None) -> bool:
    """Whether a heading or label names a reporting period ("Qu 1 19-20", "2014/2015", "31.03.15")."""
    if not text:
        return False
    if DATE.search(text) or PERIOD_WORD.search(text):
        return True
    # "18-19" is a year pair, "14-17" a range of scores
    return any(int(b[-2:]) == (int(a[-2:]) + 1) % 100 for a, b in YEAR_PAIR.findall(text))


def header_to_columns(cells: Sequence[str | None]) -> Columns | None:
    """The columns a header row declares, or None when the row is not a scorecard header."""
    roles: dict[str, int] = {}
    periods: list[tuple[int, str]] = []
    other: list[tuple[int, str]] = []
    unnamed: list[int] = []
    for index, cell in enumerate(cells):
        if not cell:
            unnamed.append(index)
            continue
        role = next((r for r, p in ROLE_HEADERS.items() if r not in roles and p.fullmatch(cell)), None)
        if role:
            roles[role] = index
        elif is_period(cell):
            periods.append((index, cell))
        else:
            other.append((index, cell))
    if "name" not in roles and "ref" in roles:
        # the name column is often printed without a heading, next to the reference
        after_ref = [i for i in unnamed if i > roles["ref"]]
        if after_ref:
            roles["name"] = after_ref[0]
    found = len({"polarity", "target", "rag"} & roles.keys()) + bool(periods)
    if "name" not in roles or found < MIN_HEADER_ROLES:
        return None
    return Columns(
        width=len(cells),
        name=roles["name"],
        ref=roles.get("ref"),
        polarity=roles.get("polarity"),
        target=roles.get("target"),
        rag=roles.get("rag"),
        periods=tuple(periods),
        other=tuple(other),
    )


def cell(cells: Sequence[str | None], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def group_heading(cells: Sequence[str | None]) -> str | None:
    """The heading of a row that has one filled cell ("General", "Priority 2 - ...")."""
    filled = [c for c in cells if c]
    return filled[0] if len(filled) == 1 else None


def rows_to_measures(rows: Iterable[Row], info: DocumentInfo, title: str | None) -> list[Measure]:
    """Measures from table rows: a header row sets the columns, later rows are read by them."""
    measures: list[Measure] = []
    columns: Columns | None = None
    group: str | None = None
    for row in rows:
        header = header_to_columns(row.cells)
        if header is not None:
            columns = header
            continue
        if columns is None or not any(row.cells):
            continue
        heading = group_heading(row.cells)
        if heading is not None:
            group = heading
            continue
        if cell(row.cells, columns.name) is None:
            continue
        measures.append(row_to_measure(row, columns, group, info, title))
    return measures


def row_to_measure(
    row: Row, columns: Columns, group: str | None, info: DocumentInfo, title: str | None
) -> Measure:
    cells = row.cells
    other = tuple((heading, cell(cells, i)) for i, heading in columns.other)
    if group is not None:
        other += ((GROUP_KEY, group),)
    page, bbox = span(row.lines) if row.lines else (row.page, None)
    return Measure(
        document_id=info.id,
        page=page,
        bbox=bbox,
        ref=cell(cells, columns.ref),
        name=cell(cells, columns.name) or "",
        polarity=cell(cells, columns.polarity),
        target=cell(cells, columns.target),
        values=tuple((period, cell(cells, i)) for i, period in columns.periods),
        rag=cell(cells, columns.rag),
        table=title,
        other=other,
    )


def lines_to_rows(lines: Iterable[Line]) -> list[Row]:
    """The tab-separated rows of a text export."""
    return [
        Row(tuple(printed_cell(c) for c in line.cells), (line,), line.page)
        for line in lines
        if "\t" in line.text
    ]


def looks_like_scorecard(page: Page, previous: bool) -> bool:
    """Whether a PDF page is worth asking pdfplumber for tables (its layout analysis is slow)."""
    ref_lines = sum(1 for line in page.lines if REF_START.match(line.text))
    headed = any(len(set(HEADER_WORDS.findall(line.text))) >= MIN_HEADER_ROLES for line in page.lines)
    return ref_lines >= MIN_REF_LINES or (headed and (ref_lines > 0 or previous))


def scorecard_pages(doc: Document) -> list[Page]:
    pages = []
    previous = False
    for page in doc.pages:
        previous = looks_like_scorecard(page, previous)
        if previous:
            pages.append(page)
    return pages


def locate(page: Page, cells: Sequence[str | None]) -> tuple[Line, ...]:
    """The page's lines that print a table row: those starting with its first filled cell."""
    first = next((c for c in cells if c), None)
    if first is None:
        return ()
    words = first.split()[:4]
    start = " ".join(words)
    found = tuple(
        line
        for line in page.lines
        if line.text.startswith(start)
        and (len(line.text) == len(start) or not line.text[len(start)].isalnum())
    )
    return found[:1]


def grid_to_rows(grid: Sequence[Sequence[str | None]], page: Page) -> list[Row]:
    rows = []
    for raw in grid:
        cells = tuple(printed_cell(c) for c in raw)
        rows.append(Row(cells, locate(page, cells), page.number))
    return rows


def pdf_rows(doc: Document) -> list[Row]:
    """The rows of every table pdfplumber finds on the pages that look like a scorecard."""
    pages = scorecard_pages(doc)
    if not pages:
        return []
    rows: list[Row] = []
    with open_pdf(doc.path) as pdf:
        for page in pages:
            for grid in page_tables(pdf, page.number):
                rows.extend(grid_to_rows(grid, page))
    return rows


def parse_scorecard(doc: Document, info: DocumentInfo) -> list[Measure]:
    rows = pdf_rows(doc) if doc.is_pdf else lines_to_rows(doc.lines)
    return rows_to_measures(rows, info, info.title)
