"""An item on its source: a PDF page rendered as an image with the item's box, or the lines of a
text document with the item's passage among them. Used by the site (evidence/site/plugin.py)."""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.errors import EvidenceError

from .safety import not_there, pixel_scale, shown_name

# 1.5 x 72 dpi = 108 dpi: an A4 page's text is readable on a laptop at ~900 px wide, and a page
# renders in ~0.1 s. Asked-for scales are kept between these bounds.
PAGE_SCALE = 1.5
MIN_SCALE, MAX_SCALE = 0.5, 4.0
# Lines of a text document shown before and after the passage.
CONTEXT_LINES = 15
# The start of an item's text (normalised) looked for in the document; shorter tries follow when
# the longest is not found (a line of page furniture may sit inside a long item).
HEAD_CHARS = (80, 40, 20)
TAIL_CHARS = 40

# A record's id: its document's id (a pack's paper adds its first line), a table letter, its order.
RECORD_ID = re.compile(r"^[0-9a-f]{16}(?:-\d+)?-[a-z]\d+$")
DOCUMENT_ID = re.compile(r"^[0-9a-f]{16}(?:-\d+)?$")
ITEM_TABLES = ("recommendations", "actions", "findings", "judgements", "measures", "area_links")


@dataclass(frozen=True)
class Box:
    """Where an item sits on its page, as shares (0-100) of the page's width and height."""

    left: float
    top: float
    width: float
    height: float


def is_pdf(path: str) -> bool:
    return Path(path).suffix.lower() == ".pdf"


def bbox_of(value: Any) -> list[float] | None:
    """A stored `bbox` ("[x0, top, x1, bottom]" in PDF points) as numbers, or None."""
    if not value:
        return None
    try:
        box = json.loads(value) if isinstance(value, str) else list(value)
    except ValueError:
        return None
    return [float(v) for v in box] if len(box) == 4 else None


def page_box(path: str, page: int, bbox: list[float]) -> tuple[Box, tuple[float, float]]:
    """The box as shares of the page, and the page's size in points."""
    pdf = open_pdf(path)
    try:
        check_page(path, page, len(pdf))
        width, height = pdf[page - 1].get_size()
    finally:
        pdf.close()
    x0, top, x1, bottom = bbox
    box = Box(
        left=round(100 * x0 / width, 2),
        top=round(100 * top / height, 2),
        width=round(100 * (x1 - x0) / width, 2),
        height=round(100 * (bottom - top) / height, 2),
    )
    return box, (width, height)


def open_pdf(path: str) -> Any:
    import pypdfium2 as pdfium

    if not Path(path).is_file():
        raise not_there(path)
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise EvidenceError(
            f"{shown_name(path)} cannot be opened as a PDF ({exc}): build the store again"
        ) from None


def check_page(path: str, page: int, pages: int) -> None:
    if not 1 <= page <= pages:
        raise EvidenceError(f"{shown_name(path)} has no page {page}: it has pages 1 to {pages}")


def page_count(path: str) -> int:
    pdf = open_pdf(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_page(path: str, page: int, scale: float = PAGE_SCALE) -> bytes:
    """One page of a PDF as a PNG, rendered now (nothing is cached on disk)."""
    scale = min(max(scale, MIN_SCALE), MAX_SCALE) if math.isfinite(scale) else PAGE_SCALE
    pdf = open_pdf(path)
    try:
        check_page(path, page, len(pdf))
        width, height = pdf[page - 1].get_size()
        image = pdf[page - 1].render(scale=pixel_scale(width, height, scale)).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    # the fastest compression: at level 6 a page at scale 4 took 2 s to encode, at 1 a third of it
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the file
    text: str
    marked: bool  # part of the item's passage


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def locate(lines: list[str], text: str) -> tuple[int, int] | None:
    """The first and last index of the lines that hold `text`, however it was wrapped, or None."""
    stream: list[str] = []
    owner: list[int] = []
    for index, line in enumerate(lines):
        words = normalised(line)
        if not words:
            continue
        piece = words + " "
        stream.append(piece)
        owner.extend([index] * len(piece))
    joined = "".join(stream)
    target = normalised(text)
    if not target:
        return None
    for size in HEAD_CHARS:
        start = joined.find(target[:size])
        if start >= 0:
            break
    else:
        return None
    tail = target[-TAIL_CHARS:]
    end = joined.find(tail, start)
    if end < 0 or end - start > 2 * len(target) + 200:
        end_char = min(start + len(target), len(joined)) - 1
    else:
        end_char = end + len(tail) - 1
    return owner[start], owner[max(end_char, start)]


def text_passage(
    path: str, text: str, first_line: int | None = None, last_line: int | None = None, page: int = 1
) -> tuple[list[Line], bool]:
    """The lines around the item's passage in a text document (within its pack paper's lines and
    its form-feed page, when it has them), and whether the passage was found."""
    try:
        content = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise not_there(path) from None
    all_lines = content.split("\n")
    low = (first_line or 1) - 1
    high = min(last_line or len(all_lines), len(all_lines))
    if "\f" in content and page > 1:
        # a form feed starts a new page: keep the lines of the item's page
        starts = [0] + [i for i, line in enumerate(all_lines) if "\f" in line]
        if page - 1 < len(starts):
            low = max(low, starts[page - 1])
            high = min(high, starts[page] if page < len(starts) else high)
    window = all_lines[low:high]
    found = locate(window, text)
    if found is None:
        shown = window[: 2 * CONTEXT_LINES]
        return [Line(low + i + 1, line.replace("\f", ""), False) for i, line in enumerate(shown)], False
    first, last = found
    begin, stop = max(0, first - CONTEXT_LINES), min(len(window), last + 1 + CONTEXT_LINES)
    return [
        Line(low + i + 1, window[i].replace("\f", ""), first <= i <= last) for i in range(begin, stop)
    ], True
