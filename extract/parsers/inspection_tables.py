"""Recommendation tables: a ruled table under a recommendations heading, an item a row.

Area SEND reports print their areas for priority action as a table of "Responsible body" |
"Areas for priority action", and their areas for improvement as a one-column table whose
header cell repeats the heading. The table's rules give its rows and cells (pdfplumber,
`extract.grids.GridReader`); the text in them is the loader's lines, placed by where they
stand, so it reads exactly as the rest of the report. A table broken over pages runs on
from the top of the next page; a row broken over pages is joined again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document import Line
from ..grids import Grid, GridReader
from ..items import BULLET, join, strip_connector
from ..records import BBox
from .inspection_lists import LABEL, clean, strip_marker

# Cells that only name a column.
HEADER_CELL = re.compile(
    r"^(?:responsible bod(?:y|ies)|areas? for (?:priority actions?|improvement)|priority actions?|"
    r"what needs to improve\??|recommendations?)$",
    re.I,
)
# A line's centre within this many points of a cell's edge still belongs to it.
CELL_TOLERANCE = 1.0
# Two lines this close on the left are at the same indent.
SAME_X = 3.0
# A ruled cell narrower than this is the padding pdfplumber cuts beside a real cell.
MIN_CELL_WIDTH = 24.0


@dataclass
class TableItem:
    """One item of a recommendations table: its responsible body (as printed, if the table
    has that column), label, lead lines, sub-bullets and any closing lines."""

    body: list[Line]
    lines: list[Line]
    label: str | None = None
    subs: list[list[Line]] = field(default_factory=list)
    tail: list[Line] = field(default_factory=list)

    @property
    def all_lines(self) -> list[Line]:
        return self.lines + [ln for sub in self.subs for ln in sub] + self.tail

    @property
    def sub_items(self) -> tuple[str, ...]:
        return tuple(strip_connector(cell_text(sub)) for sub in self.subs)

    @property
    def text(self) -> str:
        """As printed: the lead, its bullets and closing lines, punctuation kept."""
        return join([cell_text(self.lines), *(cell_text(sub) for sub in self.subs), cell_text(self.tail)])

    @property
    def body_text(self) -> str | None:
        return clean(join(ln.text for ln in self.body)) or None


def cell_text(lines: Sequence[Line]) -> str:
    if not lines:
        return ""
    return clean(join([strip_marker(lines[0].text)] + [ln.text for ln in lines[1:]]))


def centre_in(line: Line, box: BBox) -> bool:
    if line.bbox is None:
        return False
    x = (line.bbox[0] + line.bbox[2]) / 2
    y = (line.bbox[1] + line.bbox[3]) / 2
    t = CELL_TOLERANCE
    return box[0] - t <= x <= box[2] + t and box[1] - t <= y <= box[3] + t


def in_grid(line: Line, grid: Grid) -> bool:
    return line.page == grid.page and centre_in(line, grid.bbox)


def outer(grids: list[Grid]) -> list[Grid]:
    """The tables not drawn inside another (shading inside a cell reads as a table too)."""

    def inside(a: Grid, b: Grid) -> bool:
        return a is not b and all(
            lo - 1 <= v <= hi + 1
            for v, lo, hi in zip(a.bbox, (b.bbox[0], b.bbox[1]) * 2, (b.bbox[2], b.bbox[3]) * 2, strict=True)
        )

    return [g for g in grids if not any(inside(g, other) for other in grids)]


def grids_after(reader: GridReader, lines: Sequence[Line], start: int) -> list[Grid]:
    """The ruled tables that follow the heading lines[start]: below it on its page, then on
    each next page while the table runs from one page's foot to the next one's top. Any
    line standing between two tables ends the run."""
    heading = lines[start]
    if heading.bbox is None:
        return []
    found: list[Grid] = []
    page, top = heading.page, heading.bbox[3]
    rest = lines[start + 1 :]
    while True:
        # a table below the heading, or one whose header cell the heading is
        here = sorted(
            (
                g
                for g in outer(reader.on(page))
                if g.bbox[1] >= top - 2 or (not found and in_grid(heading, g))
            ),
            key=lambda g: g.bbox[1],
        )
        page_lines = [ln for ln in rest if ln.page == page and ln.bbox and ln.bbox[1] >= top]
        for grid in here:
            before = [
                ln
                for ln in page_lines
                if ln.bbox and ln.bbox[3] <= grid.bbox[1] and not any(in_grid(ln, g) for g in found)
            ]
            if before:
                return found
            found.append(grid)
            page_lines = [ln for ln in page_lines if ln.bbox and ln.bbox[1] >= grid.bbox[3] - 2]
        if not found or page_lines:
            return found
        page, top = page + 1, 0.0


def wide_cells(row: tuple[BBox, ...]) -> list[BBox]:
    """A row's cells, less the slivers pdfplumber makes of a cell's padding."""
    return [box for box in row if box[2] - box[0] >= MIN_CELL_WIDTH]


def column_split(grid: Grid) -> float | None:
    """Where a two-column table's text column starts (the left of its rightmost cell, in
    the first row that spans the table with two cells); None for a table of one column."""
    for row in grid.rows:
        wide = wide_cells(row)
        if len(wide) >= 2 and wide[0][0] <= grid.bbox[0] + SAME_X:
            return wide[-1][0]
    return None


def logical_rows(grid: Grid) -> list[tuple[float, float]]:
    """(top, bottom) of each row as printed. A shaded line inside a cell makes pdfplumber cut
    sub-rows that do not reach the table's left edge; they belong to the row above."""
    rows: list[tuple[float, float]] = []
    for row in grid.rows:
        top, bottom = min(b[1] for b in row), max(b[3] for b in row)
        starts_left = any(b[0] <= grid.bbox[0] + SAME_X for b in row)
        if rows and not starts_left:
            rows[-1] = (rows[-1][0], max(rows[-1][1], bottom))
        else:
            rows.append((top, bottom))
    return rows


def row_cells(
    grid: Grid, split: float | None, top: float, bottom: float, lines: Sequence[Line]
) -> tuple[list[Line], list[Line]]:
    """The loader's lines in a row's body cell (left of the split; none in a table of one
    column) and in its text cell."""
    x0, _, x1, _ = grid.bbox
    page_lines = [ln for ln in lines if ln.page == grid.page]
    if split is None:
        return [], [ln for ln in page_lines if centre_in(ln, (x0, top, x1, bottom))]
    body = [ln for ln in page_lines if centre_in(ln, (x0, top, split, bottom))]
    text = [ln for ln in page_lines if centre_in(ln, (split, top, x1, bottom))]
    return body, text


def is_header(body: list[Line], text: list[Line]) -> bool:
    cells = [cell for cell in (body, text) if cell]
    return bool(cells) and all(HEADER_CELL.match(clean(join(ln.text for ln in cell))) for cell in cells)


def cell_to_items(body: list[Line], lines: list[Line]) -> list[TableItem]:
    """A cell's items: numbered paragraphs each an item; bullets under a lead its sub-items;
    lines back at the left after the bullets close the item."""
    left = min((ln.bbox[0] for ln in lines if ln.bbox), default=0.0)
    items: list[TableItem] = []
    for line in lines:
        x = line.bbox[0] if line.bbox else left
        at_left = abs(x - left) <= SAME_X
        label = LABEL.match(line.text) if at_left else None
        if not items or label:
            items.append(TableItem(body, [line], label.group("label") if label else None))
            continue
        item = items[-1]
        if BULLET.match(line.text):
            item.subs.append([line])
        elif (item.subs and at_left) or item.tail:
            item.tail.append(line)
        elif item.subs:
            item.subs[-1].append(line)
        else:
            item.lines.append(line)
    return items


def grid_rows(grids: Sequence[Grid], lines: Sequence[Line]) -> list[tuple[list[Line], list[Line]]]:
    """(body lines, text lines) of each row, header rows dropped and rows broken over a page
    joined: a part at the top of a page with no body, or that starts in lower case, or has no
    text of its own, carries on the row above."""
    rows: list[tuple[list[Line], list[Line]]] = []
    two_columns = False
    for index, grid in enumerate(grids):
        split = column_split(grid)
        for number, (top, bottom) in enumerate(logical_rows(grid)):
            body, text = row_cells(grid, split, top, bottom, lines)
            if not (body or text) or is_header(body, text):
                continue
            two_columns = two_columns or bool(body)
            carries_on = (
                rows
                and index > 0
                and number == 0
                and grid.page != grids[index - 1].page
                and (not text or (two_columns and not body) or text[0].text[:1].islower())
            )
            if carries_on:
                rows[-1][0].extend(body)
                rows[-1][1].extend(text)
            elif text:
                rows.append((body, text))
    return rows


def section_table(
    reader: GridReader, lines: Sequence[Line], start: int
) -> tuple[list[TableItem], int] | None:
    """The items of a ruled table under the heading lines[start], and the index of the first
    line after it; None when no such table follows the heading."""
    grids = grids_after(reader, lines, start)
    if not grids:
        return None
    items = [item for body, text in grid_rows(grids, lines) for item in cell_to_items(body, text)]
    inside = [i for i in range(start + 1, len(lines)) if any(in_grid(lines[i], g) for g in grids)]
    return items, (inside[-1] + 1 if inside else start + 1)
