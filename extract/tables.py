"""Tables printed in PDFs, through pdfplumber: ruled or not, wrapped cells, page breaks.

A caller says where a table is expected: a *zone*, the regions `(page, bbox)` it covers on
one or more pages. A zone's table is read by its ruling lines (`ruled_tables`, on whole
pages); when it has none, from its text (`text_tables`, with columns at the gutters no word
crosses, ending where prose runs across them: see `extract.unruled`). The parts of a table
broken over pages are then stitched into one (`tables_to_stitched`): same columns, the later
part starting at the top of the next page, its repeated header rows dropped
(`rows_without_repeated_headers`).

Cells stay as printed, wrapped lines separated by "\\n"; `cell_to_items` turns a cell into
its items (wrapped lines joined with spaces, each bullet an item of its own). A row whose
first cell is empty continues the row above (`rows_with_continuations_joined`): that is how
a row broken over a page, or a line of an unruled table, reads.

pdfplumber's layout analysis runs at ~10 pages/s, against ~400 for the loader, so only the
pages holding a zone are opened, and the PDF is opened once for all of them. A ruled table
whose text the loader places (`extract.grids.GridReader`) needs only the rules, which pdfium reads in a
few milliseconds (`extract.drawn`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from typing import Any

from .cells import pdf_cell
from .document import Document, Line
from .errors import DocumentError
from .items import is_bullet, join, strip_bullet
from .records import BBox
from .unruled import crops_cut_at_table_end, page_edges, words_to_columns

Region = tuple[int, BBox]  # (1-based page, (x0, top, x1, bottom)) where a table is expected

# A table needs two columns; one ruled box is a shaded heading or a frame, not a table.
MIN_COLUMNS = 2
# Rules sit a few points outside the text they frame: a region grows this much to hold them.
REGION_MARGIN = 6.0
# Columns of two parts of one table line up within this many points.
COLUMN_TOLERANCE = 3.0
# A part continues a table when it starts this close to the first line of its page.
TOP_TOLERANCE = 14.0
INLINE_BULLET = re.compile(r"(?:^|\s)(?:[•●▪■\uf0b7\uf0a7]|-(?=\s+\S))\s*")


@dataclass(frozen=True)
class Row:
    """One row as printed: its cells (wrapped lines joined by "\\n"), page and box."""

    cells: tuple[str, ...]
    page: int
    bbox: BBox | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    page: int  # where it starts
    bbox: BBox  # of its first part
    columns: tuple[float, ...]  # x of the column edges, left to right
    last_page: int = 0  # where it ends, once stitched (0: the page it starts on)
    ruled: bool = True

    @property
    def end_page(self) -> int:
        return self.last_page or self.page


# -- cells ---------------------------------------------------------------------------------


def line_to_pieces(line: str) -> list[tuple[bool, str]]:
    """A line of a cell as (starts with a bullet, text) pieces: "a - b ▪ c" holds three."""
    starts_bulleted = is_bullet(line)
    body = strip_bullet(line) if starts_bulleted else line.strip()
    parts = INLINE_BULLET.split(body)
    pieces = [(starts_bulleted, parts[0].strip())]
    pieces += [(True, part.strip()) for part in parts[1:]]
    return [(bulleted, text) for bulleted, text in pieces if text]


def cell_to_items(text: str) -> tuple[str, ...]:
    """The items of a cell: wrapped lines joined with spaces, each bullet an item of its own.

    Bullet glyphs are dropped; a line that starts without one continues the item above."""
    items: list[str] = []
    for line in text.split("\n"):
        for index, (bulleted, piece) in enumerate(line_to_pieces(line)):
            if items and not bulleted and index == 0:
                items[-1] = join([items[-1], piece])
            else:
                items.append(join([piece]))
    return tuple(items)


# -- rows ----------------------------------------------------------------------------------


def union(a: BBox | None, b: BBox | None) -> BBox | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def rows_with_continuations_joined(
    rows: Iterable[Row], starts_row: Callable[[Row], bool] | None = None
) -> list[Row]:
    """Rows with each continuation appended, cell by cell, to the row above it.

    A row continues the one above when `starts_row(row)` is false; by default, when its
    first cell is empty. The joined row keeps the page of its first part, and the box
    covering its parts on that page."""
    starts = starts_row or (lambda row: bool(row.cells and row.cells[0].strip()))
    out: list[Row] = []
    for row in rows:
        if out and not starts(row):
            out[-1] = joined_rows(out[-1], row)
        else:
            out.append(row)
    return out


def joined_rows(first: Row, more: Row) -> Row:
    width = max(len(first.cells), len(more.cells))
    a = first.cells + ("",) * (width - len(first.cells))
    b = more.cells + ("",) * (width - len(more.cells))
    cells = tuple("\n".join(part for part in (x, y) if part) for x, y in zip(a, b, strict=True))
    bbox = union(first.bbox, more.bbox) if more.page == first.page else first.bbox
    return replace(first, cells=cells, bbox=bbox)


def row_key(row: Row) -> str:
    """A row's words, whatever the columns or wrapping: repeated headers compare equal."""
    return " ".join(" ".join(row.cells).split()).casefold()


def rows_without_repeated_headers(header: Sequence[Row], rows: Sequence[Row]) -> list[Row]:
    """`rows` (a table's part on a later page) without the leading rows that repeat the
    table's first rows: the header printed again on every page."""
    skip = 0
    while skip < min(len(header), len(rows)) and row_key(rows[skip]) == row_key(header[skip]):
        skip += 1
    return list(rows[skip:])


# -- finding tables on a page --------------------------------------------------------------


def cluster(values: Iterable[float], tolerance: float = COLUMN_TOLERANCE) -> tuple[float, ...]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return tuple(round(v, 1) for v in out)


def closing_rules(page: Any) -> list[float]:
    """Where a ruled table broken over pages is left open: its verticals run on past the
    last horizontal rule. A rule at each end of the verticals closes the last cells."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return []
    return [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]


def plumber_to_table(found: Any, page_number: int, ruled: bool) -> Table:
    cells = [c for c in found.cells if c]
    columns = cluster([c[0] for c in cells] + [max(c[2] for c in cells)])
    rows = []
    for plumber_row, texts in zip(found.rows, found.extract(), strict=True):
        bbox = reduce(union, [c for c in plumber_row.cells if c])
        rows.append(Row(tuple(pdf_cell(t) for t in texts), page_number, rounded(bbox) if bbox else None))
    return Table(tuple(rows), page_number, rounded(found.bbox), columns, ruled=ruled)


def rounded(bbox: Sequence[float]) -> BBox:
    return (round(bbox[0], 1), round(bbox[1], 1), round(bbox[2], 1), round(bbox[3], 1))


def ruled_settings(page: Any) -> dict[str, Any]:
    """pdfplumber's settings for a ruled table (its defaults, which snap rules drawn a point or
    two apart), closing a table left open at the page's end. `page`: pdfplumber's or a `Drawing`."""
    return {"vertical_strategy": "lines", "explicit_horizontal_lines": closing_rules(page)}


def ruled_tables(page: Any, page_number: int) -> list[Table]:
    found = [t for t in page.find_tables(ruled_settings(page)) if t.cells]
    tables = [plumber_to_table(t, page_number, ruled=True) for t in found]
    return [t for t in tables if len(t.columns) - 1 >= MIN_COLUMNS]


def text_tables(page: Any, page_number: int, columns: Sequence[float] | None = None) -> list[Table]:
    """pdfplumber's text strategy for rows (a row per printed line), with columns at the
    gutters: its own vertical text strategy cuts wrapped cells mid-word."""
    words = page.extract_words()
    if not words:
        return []
    columns = tuple(columns) if columns else words_to_columns(words)
    edges = page_edges(words, columns)
    if len(edges) - 1 < MIN_COLUMNS:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "explicit_vertical_lines": edges,
        "horizontal_strategy": "text",
    }
    tables = []
    for found in page.find_tables(settings):
        table = plumber_to_table(found, page_number, ruled=False)
        rows = tuple(row for row in table.rows if any(row.cells))
        tables.append(replace(table, rows=rows, columns=columns))
    return tables


# -- stitching -----------------------------------------------------------------------------


def edge_index(edges: Sequence[float], x: float, tolerance: float = COLUMN_TOLERANCE) -> int | None:
    return next((i for i, edge in enumerate(edges) if abs(edge - x) <= tolerance), None)


def same_columns(a: Sequence[float], b: Sequence[float]) -> bool:
    """Two parts share their columns: the same outer edges, and every edge of the coarser
    part found in the finer one (a header cell spanning two columns hides an edge)."""
    coarse, fine = sorted((a, b), key=len)
    return (
        len(coarse) >= 2
        and edge_index(fine[:1], coarse[0]) == 0
        and edge_index(fine[-1:], coarse[-1]) == 0
        and all(edge_index(fine, x) is not None for x in coarse)
    )


def rows_on_columns(rows: Sequence[Row], edges: Sequence[float], finer: Sequence[float]) -> list[Row]:
    """Rows read on `edges` laid out on the `finer` edges: a spanning cell goes to the first
    column it covers, the columns it hides are empty."""
    out = []
    for row in rows:
        cells = [""] * (len(finer) - 1)
        for x, text in zip(edges, row.cells, strict=False):
            index = edge_index(finer, x)
            if index is not None and index < len(cells):
                cells[index] = text
        out.append(replace(row, cells=tuple(cells)))
    return out


def joined_parts(whole: Table, part: Table) -> Table:
    columns = max(whole.columns, part.columns, key=len)
    head = (
        rows_on_columns(whole.rows, whole.columns, columns) if columns != whole.columns else list(whole.rows)
    )
    tail = rows_on_columns(part.rows, part.columns, columns) if columns != part.columns else list(part.rows)
    tail = rows_without_repeated_headers(head, tail)
    return replace(whole, rows=tuple(head + tail), columns=tuple(columns), last_page=part.page)


def continues(first: Table, part: Table, page_tops: Mapping[int, float]) -> bool:
    top = page_tops.get(part.page)
    return (
        part.page == first.end_page + 1
        and same_columns(first.columns, part.columns)
        and top is not None
        and part.bbox[1] <= top + TOP_TOLERANCE
    )


def tables_to_stitched(tables: Sequence[Table], page_tops: Mapping[int, float]) -> list[Table]:
    """Tables with each one broken over a page break made whole again.

    A part continues the table before it when it is the first table on the next page,
    starts at the top of that page (`page_tops`: top of each page's first line of text,
    furniture aside) and has the same columns; the header it repeats is dropped."""
    ordered = sorted(tables, key=lambda t: (t.page, t.bbox[1]))
    out: list[Table] = []
    for table in ordered:
        first_on_page = not out or out[-1].end_page < table.page
        if out and first_on_page and continues(out[-1], table, page_tops):
            out[-1] = joined_parts(out[-1], table)
        else:
            out.append(table)
    return out


# -- reading a PDF -------------------------------------------------------------------------


def grown(bbox: BBox, width: float, height: float, margin: float = REGION_MARGIN) -> BBox:
    x0, top, x1, bottom = bbox
    return (
        max(0.0, x0 - margin),
        max(0.0, top - margin),
        min(width, x1 + margin),
        min(height, bottom + margin),
    )


def overlaps(a: BBox, b: BBox) -> bool:
    """Boxes share some height: a ruled table overlapping a region belongs to it whole."""
    return min(a[3], b[3]) > max(a[1], b[1])


def zone_to_crops(pdf: Any, zone: Sequence[Region]) -> list[tuple[int, Any]]:
    """The zone's regions cropped from their pages, each grown by REGION_MARGIN."""
    crops = []
    for number, bbox in zone:
        page = pdf.pages[number - 1]
        crops.append((number, page.crop(grown(bbox, page.width, page.height))))
    return crops


def zone_to_tables(pdf: Any, zone: Sequence[Region], ruled_on: Callable[[int], list[Table]]) -> list[Table]:
    """The tables in one zone, stitched over its pages.

    A ruled table is taken whole when it overlaps the zone, so that a region cut through a
    row (the loader may have dropped a header at a page top) still gets whole rows. An
    unruled one is read from the zone's crops, on one set of columns for the whole zone,
    so that its parts line up."""
    found = [t for number, bbox in zone for t in ruled_on(number) if overlaps(t.bbox, bbox)]
    if not found:
        crops = crops_cut_at_table_end(zone_to_crops(pdf, zone))
        columns = words_to_columns([w for _, crop in crops for w in crop.extract_words()])
        found = [t for number, crop in crops for t in text_tables(crop, number, columns)]
    return tables_to_stitched(found, page_tops={number: bbox[1] for number, bbox in zone})


def open_pdf(path: str) -> Any:
    """The PDF opened by pdfplumber, for a `with` block; one it cannot open is a DocumentError.

    Opening reads the whole page tree, so a caller opens the PDF once for all the pages
    it wants tables from."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(path)
    except (OSError, PdfminerException) as exc:
        raise DocumentError(
            path, f"its tables cannot be read ({exc}): re-save the PDF and build again"
        ) from None


def page_tables(pdf: Any, page_number: int) -> list[list[list[str | None]]]:
    """The tables pdfplumber finds on one page (1-based) of an open PDF, as it gives them:
    each a list of rows of cells, an empty cell None. For tables whose layout is known
    (ruled or not, broken over pages), `pdf_to_tables` gives whole rows instead."""
    return [table for table in pdf.pages[page_number - 1].extract_tables() if table]


def pdf_to_tables(path: str, zones: Sequence[Sequence[Region]]) -> list[list[Table]]:
    """For each zone (where one table is expected, page by page), the tables found there.

    Opens the PDF once and lays out only the zones' pages, each once."""
    if not zones:
        return []
    with open_pdf(path) as pdf:
        ruled: dict[int, list[Table]] = {}

        def ruled_on(number: int) -> list[Table]:
            if number not in ruled:
                ruled[number] = ruled_tables(pdf.pages[number - 1], number)
            return ruled[number]

        return [zone_to_tables(pdf, zone, ruled_on) for zone in zones]


def lines_to_regions(doc: Document, lines: Sequence[Line]) -> list[Region]:
    """Where a table printed on `lines` lies, page by page: the lines' height and the page's
    full width, as cell padding puts a table's rules outside its text."""
    widths = {page.number: page.width or 0.0 for page in doc.pages}
    boxes: dict[int, list[BBox]] = {}
    for line in lines:
        if line.bbox is not None:
            boxes.setdefault(line.page, []).append(line.bbox)
    return [
        (page, (0.0, min(b[1] for b in bs), widths.get(page) or max(b[2] for b in bs), max(b[3] for b in bs)))
        for page, bs in sorted(boxes.items())
    ]
