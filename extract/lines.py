"""Where an item of a text document starts: its line in the file.

A text export has no boxes, and a page (its form-feed page, or the whole file) is no help to a
reader looking for an item among hundreds of lines; the line number is. Parsers report the page;
the line is found here, once per document, by looking for the start of each item's text among the
document's lines however it was wrapped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from .document import Document
from .records import Record, Unread

# The start of an item's text (normalised) looked for; shorter tries follow when the longest is
# not found (a line of page furniture may sit inside a long item).
HEAD_CHARS = (80, 40, 20)


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def item_text(record: Record) -> str:
    for name in ("text", "area", "name"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return ""


class LineFinder:
    """The lines of a document as one normalised stream, to find where a text starts."""

    def __init__(self, numbers: Sequence[int], texts: Sequence[str]) -> None:
        pieces, self.starts, self.numbers = [], [], []
        offset = 0
        for number, text in zip(numbers, texts, strict=True):
            words = normalised(text)
            if not words:
                continue
            self.starts.append(offset)
            self.numbers.append(number)
            pieces.append(words + " ")
            offset += len(words) + 1
        self.joined = "".join(pieces)

    def first_line(self, text: str, after_line: int = 0) -> int | None:
        """The number of the line where `text` starts (at or after line `after_line`), or None."""
        target = normalised(text)
        if not target:
            return None
        first = bisect_left(self.numbers, after_line)
        if first >= len(self.starts):
            return None
        begin = self.starts[first]
        for size in HEAD_CHARS:
            found = self.joined.find(target[:size], begin)
            if found >= 0:
                return self.numbers[bisect_right(self.starts, found) - 1]
        return None


def with_lines(doc: Document, records: list[Record]) -> list[Record]:
    """The records of a text document, each with the line of the file where it starts."""
    if doc.is_pdf or not records:
        return records
    lines = doc.lines
    finder = LineFinder([ln.number for ln in lines], [ln.text for ln in lines])
    first_of_page: dict[int, int] = {}
    for ln in lines:
        first_of_page.setdefault(ln.page, ln.number)
    out: list[Record] = []
    for record in records:
        if isinstance(record, Unread):  # a section read as empty: no row, so no line
            out.append(record)
            continue
        line = finder.first_line(item_text(record), first_of_page.get(record.page, 0))
        out.append(replace(record, line=line) if line is not None else record)
    return out
