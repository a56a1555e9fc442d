"""Captioned data tables in reports: "Table 2" over rows of figures.

Only a table printed under a "Table N" caption whose body is mostly figures is read; an
uncaptioned table, or one of prose (actions, leads, dates), is not data. A table runs one of
two ways, and the first column tells which:

- periods down the side ("31.03.15", "2014/2015"): each further column is a measure, named
  by its heading, ref "Table 2 col 2";
- names down the side: each row is a measure, ref "Table 1 row 1", its values keyed by the
  column headings. A label column between the name and the figures ("2017-2018") prefixes
  the headings, and a row whose name cell is empty continues the measure above it.

Values are kept as printed, trend arrows included ("81.5%↑").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..cells import printed_cell
from ..document import Document, Line, span
from ..records import DocumentInfo, Measure
from ..tables import open_pdf, page_tables
from .scorecard import is_period, locate

CAPTION = re.compile(r"^\**(?P<label>Table\s+\d{1,3}[a-z]?)\**\s*(?:[.:\-–—]\s*)?(?P<title>.*)$", re.I)
# A caption's own title is short; "Table 1 also shows that ..." is a sentence, not a caption.
MAX_TITLE_WORDS = 15
# Lines (a subtitle, a source note) that may stand between a caption and its first row.
MAX_CAPTION_GAP = 2
# In a PDF, wrapped header cells can be read out before the line that starts the header row.
MAX_PDF_CAPTION_GAP = MAX_CAPTION_GAP + 4
# Share of the body's filled cells that must be figures for a table to be data.
MIN_FIGURE_SHARE = 0.8
FIGURE = re.compile(
    r"[<>≤≥~]?\s*[-+]?[£$]?\d[\d,]*(?:\.\d+)?\s*%?\s*[↑↓↔→←▲▼⬆⬇]?|n/?a|-|–|\*",
    re.I,
)

Grid = list[tuple[str | None, ...]]


@dataclass(frozen=True)
class Table:
    """A captioned table: its label ("Table 1"), caption as printed, rows, and where it is printed."""

    label: str
    caption: str
    grid: Grid
    lines: tuple[tuple[Line, ...], ...]  # per row
    caption_line: Line


def caption_of(line: Line) -> tuple[str, str] | None:
    """(label, caption) when the line is a table caption."""
    if "\t" in line.text:
        return None
    m = CAPTION.match(line.text.strip())
    if not m or len(m.group("title").split()) > MAX_TITLE_WORDS or m.group("title").endswith("."):
        return None
    label = " ".join(m.group("label").split()).capitalize()
    return label, " ".join(line.text.replace("*", " ").split())


def lines_to_tables(lines: Sequence[Line]) -> list[Table]:
    """The tab-separated tables printed under a caption in a text export."""
    tables = []
    for index, line in enumerate(lines):
        caption = caption_of(line)
        if caption is None:
            continue
        start = next(
            (
                j
                for j in range(index + 1, min(index + 2 + MAX_CAPTION_GAP, len(lines)))
                if "\t" in lines[j].text
            ),
            None,
        )
        if start is None:
            continue
        rows = []
        for row_line in lines[start:]:
            if "\t" not in row_line.text:
                break
            rows.append(row_line)
        grid = [tuple(printed_cell(c) for c in row.cells) for row in rows]
        tables.append(Table(caption[0], caption[1], grid, tuple((r,) for r in rows), line))
    return tables


def pdf_tables(doc: Document) -> list[Table]:
    """Captioned tables of a PDF: each caption with the pdfplumber table printed right after it,
    on its page or, for a caption left at the foot of a page, at the top of the next."""
    lines = doc.lines
    captions = [(i, line, c) for i, line in enumerate(lines) if (c := caption_of(line))]
    printed = {page.number for page in doc.pages}  # a pack's paper holds only some of the PDF's pages
    wanted = sorted({line.page + k for _, line, _ in captions for k in (0, 1) if line.page + k in printed})
    position = {line.number: i for i, line in enumerate(lines)}
    with open_pdf(doc.path) as pdf:
        candidates = [table for number in wanted for table in page_grids(doc, pdf, number)]
    tables = []
    taken: set[int] = set()
    for index, line, (label, caption) in captions:
        found = next_table(index, candidates, position, taken)
        if found is not None:
            taken.add(found)
            grid, located = candidates[found]
            tables.append(Table(label, caption, grid, located, line))
    return tables


def page_grids(doc: Document, pdf: Any, number: int) -> list[tuple[Grid, tuple[tuple[Line, ...], ...]]]:
    """pdfplumber's tables of one page of the open `pdf`, cells cleaned, each row with the
    lines printing it."""
    page = next(p for p in doc.pages if p.number == number)
    grids = [[tuple(printed_cell(c) for c in row) for row in grid] for grid in page_tables(pdf, number)]
    return [(grid, tuple(locate(page, row) for row in grid)) for grid in grids]


def next_table(
    index: int,
    candidates: Sequence[tuple[Grid, tuple[tuple[Line, ...], ...]]],
    position: dict[int, int],
    taken: set[int],
) -> int | None:
    """The untaken table whose first printed line follows the caption (at `index` in the
    document's lines) within MAX_PDF_CAPTION_GAP lines."""
    best: tuple[int, int] | None = None
    for k, (_, located) in enumerate(candidates):
        starts = [position[ln.number] for row in located for ln in row if ln.number in position]
        if k in taken or not starts:
            continue
        start = min(starts)
        if index < start <= index + 1 + MAX_PDF_CAPTION_GAP and (best is None or start < best[0]):
            best = (start, k)
    return None if best is None else best[1]


def is_figure(text: str | None) -> bool:
    return bool(text) and bool(FIGURE.fullmatch(text or ""))


def figure_columns(grid: Grid) -> list[int]:
    """The body columns that hold figures (every filled cell a figure)."""
    body = grid[1:]
    width = max(len(row) for row in grid)
    columns = []
    for j in range(width):
        filled = [row[j] for row in body if j < len(row) and row[j]]
        if filled and all(is_figure(c) for c in filled):
            columns.append(j)
    return columns


def is_data(grid: Grid) -> bool:
    """Whether a table is one of figures: a header, a body, and mostly figures in the body."""
    if len(grid) < 2:
        return False
    filled = [c for row in grid[1:] for c in row[1:] if c]
    return bool(filled) and sum(is_figure(c) for c in filled) >= MIN_FIGURE_SHARE * len(filled)


def periods_down_side(grid: Grid) -> bool:
    side = [row[0] for row in grid[1:]]
    return all(is_period(c) for c in side)


def columns_to_measures(table: Table, info: DocumentInfo) -> list[Measure]:
    header = table.grid[0]
    page, bbox = span([ln for row in table.lines for ln in row] or [table.caption_line])
    measures = []
    for j in range(1, len(header)):
        values = tuple((row[0] or "", row[j] if j < len(row) else None) for row in table.grid[1:])
        measures.append(
            Measure(
                document_id=info.id,
                page=page,
                bbox=bbox,
                ref=f"{table.label} col {j + 1}",
                name=header[j] or "",
                values=values,
                table=table.caption,
            )
        )
    return measures


def row_measure(table: Table, number: int, rows: list[int], labels: int, info: DocumentInfo) -> Measure:
    """A measure printed on the given grid rows; `labels` leading columns name it and its periods."""
    header = table.grid[0]
    values: list[tuple[str, str | None]] = []
    for i in rows:
        row = table.grid[i]
        prefix = " ".join(c for c in row[1:labels] if c)
        for j in range(labels, len(header)):
            period = " ".join(p for p in (prefix, header[j]) if p)
            values.append((period, row[j] if j < len(row) else None))
    lines = [ln for i in rows for ln in table.lines[i]] or [table.caption_line]
    page, bbox = span(lines)
    return Measure(
        document_id=info.id,
        page=page,
        bbox=bbox,
        ref=f"{table.label} row {number}",
        name=table.grid[rows[0]][0] or "",
        values=tuple(values),
        table=table.caption,
    )


def rows_to_measures(table: Table, info: DocumentInfo) -> list[Measure]:
    figures = figure_columns(table.grid)
    if not figures:
        return []
    labels = figures[0]
    groups: list[list[int]] = []
    for i in range(1, len(table.grid)):
        if table.grid[i][0] or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return [row_measure(table, n, rows, labels, info) for n, rows in enumerate(groups, start=1)]


def table_to_measures(table: Table, info: DocumentInfo) -> list[Measure]:
    if not is_data(table.grid):
        return []
    if periods_down_side(table.grid):
        return columns_to_measures(table, info)
    return rows_to_measures(table, info)


def parse_data_tables(doc: Document, info: DocumentInfo) -> list[Measure]:
    if not any(caption_of(line) for line in doc.lines):
        return []
    tables = pdf_tables(doc) if doc.is_pdf else lines_to_tables(doc.lines)
    return [m for table in tables for m in table_to_measures(table, info)]
