"""Ruled tables' geometry for the inspection parsers, whose text the loader has already
placed: only the rules are needed, and pdfium reads them in a few milliseconds a page, where
pdfplumber's layout analysis takes a third of a second (`extract.drawn`). The tables a zone's
text gives, ruled or not, are `extract.tables`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .drawn import find_tables, page_drawing
from .records import BBox
from .tables import open_pdf, rounded, ruled_settings

# A page drawing fewer lines and boxes than this (a logo, a rule under a heading) holds no
# ruled table.
MIN_RULES = 6


@dataclass(frozen=True)
class Grid:
    """A ruled table's geometry: its rows, each the boxes of its cells left to right (a merged
    cell once). The text is the loader's, placed in the cells by the caller."""

    page: int
    bbox: BBox
    rows: tuple[tuple[BBox, ...], ...]


class GridReader:
    """The ruled tables of a PDF's pages, found on first asking: the PDF is opened once and
    only the pages asked for are read, from the rules pdfium reads (pdfplumber reads a page
    itself only where its coordinates differ from pdfium's: see `extract.drawn`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pdf: Any = None
        self.drawn: Any = None
        self.found: dict[int, list[Grid]] = {}

    def __enter__(self) -> GridReader:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in (self.pdf, self.drawn):
            if handle is not None:
                handle.close()

    def ruled(self, number: int) -> bool:
        """Whether the page draws enough lines and boxes to hold a ruled table: pdfium counts
        them in a few milliseconds, where pdfplumber takes a third of a second a page."""
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_raw

        if self.drawn is None:
            self.drawn = pdfium.PdfDocument(self.path)
        if not 1 <= number <= len(self.drawn):
            return False
        paths = self.drawn[number - 1].get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=2)
        return sum(1 for _ in paths) >= MIN_RULES

    def on(self, number: int) -> list[Grid]:
        if number not in self.found:
            if not self.ruled(number):
                self.found[number] = []
                return []
            self.found[number] = [
                Grid(
                    number,
                    rounded(t.bbox),
                    tuple(tuple(rounded(c) for c in row.cells if c) for row in t.rows),
                )
                for t in self.tables_on(number)
                if t.cells
            ]
        return self.found[number]

    def tables_on(self, number: int) -> list[Any]:
        """pdfplumber's ruled tables of a page, from the rules pdfium reads where it can (see
        `extract.drawn`), else from pdfplumber's own reading of the page."""
        page: Any = page_drawing(self.drawn[number - 1])
        if page is None:
            if self.pdf is None:
                self.pdf = open_pdf(self.path)
            if not 1 <= number <= len(self.pdf.pages):
                return []
            page = self.pdf.pages[number - 1]
            return page.find_tables(ruled_settings(page))
        return find_tables(page, ruled_settings(page))
