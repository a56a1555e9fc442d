"""Loading text, markdown and HTML exports of council papers.

Form feeds are page breaks. Markdown bold and HTML fragments become plain text without
losing structure: a block tag or a bold run glued to its neighbour starts a new line, a list
item inside a tab-separated row stays in its cell as a bullet, and rows stay rows.
"""

from __future__ import annotations

import html
import re

from .cells import ANY_TAG, ITEM_TAG, export_cell
from .document import Document, Line, Page
from .errors import DocumentError

# Bigger than any council paper exported to text (a 300-page pack is ~1 MB); past this it is a
# data dump, not a document, and reading it would take minutes and GBs.
MAX_TEXT_BYTES = 20_000_000
# A paragraph of a paper runs to a few thousand characters; a longer line is a file without
# line breaks (or a data dump), whose reading would cost minutes and GBs and find nothing.
MAX_LINE_CHARS = 50_000

BLOCK_TAG = re.compile(r"</?(?:p|br|div|h[1-6]|tr|ul|ol|table|tbody|thead)\b[^>]*>", re.I)
ANGLE_URL = re.compile(r"<((?:https?|mailto):[^>\s]+)>", re.I)
# A bold run that closes a heading which another heading follows: "PLAN**AREA", "workloads****OBJECTIVES"
HEADING_BREAK = re.compile(r"\*{4}|(?<=[^\s*])\*\*(?=[A-Z][A-Z ]{3,})")


def decode(path: str, data: bytes) -> str:
    if not data.strip():
        raise DocumentError(
            path, "the file is empty (only white space): re-export it, or remove it from the folder"
        )
    if len(data) > MAX_TEXT_BYTES:
        raise DocumentError(
            path, f"the file is {len(data) // 1_000_000} MB, too big for one document: split it"
        )
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "this is a binary file, not text: export it as PDF or UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            path,
            f"the text is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): re-save it as UTF-8",
        ) from None


def load_text(path: str, data: bytes, sha256: str) -> Document:
    raw = decode(path, data)
    is_html = path.lower().endswith((".html", ".htm"))
    pages = []
    number = 0
    for index, page_text in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        lines = []
        for part, source in enumerate(page_text.split("\n")):
            # a line goes on after a form feed: line numbers count the file's newlines
            number += 1 if index == 0 or part > 0 else 0
            for text in clean_line(source, is_html):
                if len(text) > MAX_LINE_CHARS:
                    raise DocumentError(
                        path,
                        f"line {number} is {len(text):,} characters long, more than the {MAX_LINE_CHARS:,} "
                        "a paper's paragraph may have (a file without line breaks?): re-export it with its line breaks",
                    )
                lines.append(Line(text, index + 1, number))
        pages.append(Page(index + 1, tuple(lines)))
    if not any(page.lines for page in pages):
        raise DocumentError(
            path, "the file has no text once its markup is removed: re-export it as text or PDF"
        )
    return Document(path, sha256, tuple(pages))


def clean_line(source: str, is_html: bool = False) -> list[str]:
    """One physical line of an export as the plain lines it stands for."""
    text = ANGLE_URL.sub(r"\1", source)
    if "\t" in text:
        # a table row: list items stay inside their cell as bullets
        cells = [export_cell(cell) for cell in text.split("\t")]
        row = "\t".join(cells)
        return [row] if row.strip() else []
    text = ITEM_TAG.sub("\n• ", text)
    text = BLOCK_TAG.sub("\n", text)
    text = HEADING_BREAK.sub("\n", text)
    text = text.replace("**", "")
    text = ANY_TAG.sub("", text)
    if is_html or "&" in text:
        text = html.unescape(text)
    return [" ".join(part.split()) for part in text.split("\n") if part.strip()]
