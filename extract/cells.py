"""A table cell's text as a reader sees it, one function for each way a cell is read: from a
PDF by pdfplumber (`pdf_cell`), from the markup of a text, markdown or HTML export
(`export_cell`), and as printed, empty or not (`printed_cell`, for the scorecard and data
tables, whose empty cells count)."""

from __future__ import annotations

import html
import re

# pdfminer prints a glyph it cannot map (a Symbol or Wingdings bullet) as "(cid:127)".
CID = re.compile(r"\(cid:\d+\)")
# Markup tags, shared with the lines of an export (`extract.textfile`).
ITEM_TAG = re.compile(r"<li\b[^>]*>", re.I)
ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
PARAGRAPH_BREAK = re.compile(r"</p>\s*<p[^>]*>", re.I)


def squashed(text: str) -> str:
    """The words of `text` with one space between them: wrapped lines and runs of spaces joined."""
    return " ".join(text.split())


def pdf_cell(text: str | None) -> str:
    """A cell as pdfplumber reads it, with unmapped bullets restored and blank lines dropped."""
    if not text:
        return ""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if CID.match(line):
            line = "• " + CID.sub("", line, count=1).strip()
        line = CID.sub("\ufffd", line)
        if line:
            lines.append(squashed(line))
    return "\n".join(lines)


def export_cell(cell: str) -> str:
    """A cell of an exported table row: list items, line and paragraph breaks as bullets, the
    rest of the markup gone."""
    cell = ITEM_TAG.sub(" • ", cell)
    cell = LINE_BREAK_TAG.sub(" • ", cell)
    cell = PARAGRAPH_BREAK.sub(" • ", cell)
    cell = ANY_TAG.sub(" ", cell).replace("**", "")
    if "&" in cell:
        cell = html.unescape(cell)
    return squashed(cell)


def printed_cell(cell: str | None) -> str | None:
    """A cell as printed, wrapped lines joined; None when empty."""
    if cell is None:
        return None
    return squashed(cell) or None
