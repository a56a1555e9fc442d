"""A loaded document: pages of clean lines, each line knowing its page and position.

This is what every parser reads. Loading (PDF or text export) and furniture removal have
already happened, so parsers never see running headers, page numbers or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .records import BBox


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    number: int  # 1-based line number in the file (text) or in reading order (PDF)
    bbox: BBox | None = None

    @property
    def cells(self) -> list[str]:
        """The cells of a tab-separated row (a single cell for ordinary lines)."""
        return self.text.split("\t")


@dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[Line, ...]
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    pages: tuple[Page, ...]
    is_pdf: bool = False
    # line numbers where a "this page is intentionally left blank" notice stood: in a
    # committee pack the documents end there, so the splitter needs them after furniture is gone
    breaks: tuple[int, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # what a reader should know of its pages' text (see `extract.quality.page_note`)
    notes: tuple[str, ...] = field(default=(), hash=False, compare=False)

    @property
    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page.lines]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def with_lines(self, lines: Iterable[Line]) -> Document:
        """The same document holding only `lines` (for a part of a committee pack)."""
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            by_page.setdefault(line.page, []).append(line)
        old = {p.number: p for p in self.pages}
        pages = tuple(
            Page(number, tuple(kept), old[number].width, old[number].height)
            for number, kept in sorted(by_page.items())
        )
        return replace(self, pages=pages)


def span(lines: Sequence[Line]) -> tuple[int, BBox | None]:
    """The page and bbox of an item printed on `lines`: its first page, and the box
    covering its lines on that page (None for text exports)."""
    if not lines:
        raise ValueError("an item needs at least one line")
    page = lines[0].page
    boxes = [ln.bbox for ln in lines if ln.page == page and ln.bbox is not None]
    if not boxes:
        return page, None
    return page, (
        round(min(b[0] for b in boxes), 1),
        round(min(b[1] for b in boxes), 1),
        round(max(b[2] for b in boxes), 1),
        round(max(b[3] for b in boxes), 1),
    )
