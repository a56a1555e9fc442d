"""Page furniture: running headers and footers, page numbers, blank-page notices, and
words hyphenated across line ends. Removed before any parser sees the document."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .document import Document, Line, Page

# How many lines at the top and bottom of a page may be furniture.
EDGE_LINES = 3
# A line is a running header/footer when it recurs (digits aside) at the edge of this share of pages.
RECURRENCE = 0.4
MIN_PAGES_FOR_RECURRENCE = 3
# On a PDF page, furniture sits in the margins: above 12% of the height or below 85%. A
# heading or a table header repeated at the top of the text block is content, not furniture.
TOP_MARGIN = 0.12
BOTTOM_MARGIN = 0.85

PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,3}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$|^[ivxlc]{1,6}$", re.I
)
# A footnote is printed smaller than this share of the page's ordinary print, in the lower
# part of the page, and starts with its number (alone on its line, or before its text).
FOOTNOTE_SIZE = 0.9
FOOTNOTE_ZONE = 0.6
FOOTNOTE_START = re.compile(r"^(\d{1,2})(?:\s+(?:[A-Z‘'“(]|www|http)|$)")
BLANK_NOTICE = re.compile(r"^this page (?:is|has been) (?:intentionally|deliberately) left blank\.?$", re.I)
HYPHEN_END = re.compile(r"(\w[\w-]*)-$")
COMPOUND = re.compile(r"\w+(?:-\w+)+")
WORD_START = re.compile(r"^([a-z]\w*)(.*)$")


def in_margin(line: Line, page: Page) -> bool:
    if line.bbox is None or not page.height:
        return True  # a text export has no margins: its page edges are its first and last lines
    return line.bbox[1] < TOP_MARGIN * page.height or line.bbox[3] > BOTTOM_MARGIN * page.height


def shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def remove_furniture(doc: Document) -> Document:
    pages = doc.pages
    running: set[str] = set()
    if len(pages) >= MIN_PAGES_FOR_RECURRENCE:
        counts: Counter[str] = Counter()
        for page in pages:
            edge = page.lines[:EDGE_LINES] + page.lines[-EDGE_LINES:]
            counts.update({shape(line.text) for line in edge if in_margin(line, page)})
        threshold = max(2, RECURRENCE * len(pages))
        running = {s for s, n in counts.items() if n >= threshold and s}
    cleaned = []
    breaks: list[int] = []
    for page in pages:
        n = len(page.lines)
        kept = []
        for i, line in enumerate(page.lines):
            at_edge = (i < EDGE_LINES or i >= n - EDGE_LINES) and in_margin(line, page)
            text = line.text.strip()
            if BLANK_NOTICE.match(text):
                breaks.append(line.number)
                continue
            if at_edge and (shape(text) in running or (PAGE_NUMBER.match(text) and "\t" not in line.text)):
                continue
            kept.append(line)
        cleaned.append(Page(page.number, tuple(without_footnotes(kept, page)), page.width, page.height))
    return join_hyphenated(replace(doc, pages=tuple(cleaned), breaks=tuple(breaks)))


def line_height(line: Line) -> float:
    return line.bbox[3] - line.bbox[1] if line.bbox else 0.0


def marker_pattern(numbers: set[str]) -> re.Pattern[str]:
    """A footnote's number raised after a word or its punctuation ("Board1", "agencies.2")."""
    return re.compile(r"(?<=[a-z.,;:)’'])(?:" + "|".join(sorted(numbers)) + r")(?=[\s.,;:]|$)")


def without_footnotes(lines: list[Line], page: Page) -> list[Line]:
    """A page less its footnotes, and its text less their markers ("agencies.2").

    A footnote sits at the page's foot in smaller print and starts with its number, which the
    text above it carries as a raised marker: from there to the foot, every line is smaller
    than the page's ordinary print (the first may stand taller, its number being raised)."""
    sized = sorted(line_height(ln) for ln in lines if ln.bbox)
    if len(sized) < 4 or not page.height:
        return lines
    small = FOOTNOTE_SIZE * sized[len(sized) // 2]
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.bbox is None or line.bbox[1] < FOOTNOTE_ZONE * page.height:
            break
        numbered = FOOTNOTE_START.match(line.text.strip())
        if line_height(line) >= small:
            if numbered and i < len(lines) - 1:
                start = i
            break
        if numbered:
            start = i
    numbers = {m.group(1) for ln in lines[start:] if (m := FOOTNOTE_START.match(ln.text.strip()))}
    if not numbers:
        return lines
    marker = marker_pattern(numbers)
    body = lines[:start]
    if not any(marker.search(ln.text) or ln.text.strip() in numbers for ln in body):
        return lines  # no marker refers to it: numbered rows of a table, not a footnote
    body = [ln for ln in body if not (ln.text.strip() in numbers and line_height(ln) < small)]
    return [replace(ln, text=marker.sub("", ln.text)) for ln in body]


def join_hyphenated(doc: Document) -> Document:
    """Join "deci-" + "sion ..." across a line end. The hyphen stays when the document also
    prints the word hyphenated within a line, so "multi-\nagency" stays "multi-agency"."""
    lines = doc.lines
    # every "a-b" printed within a line, also as part of a longer compound ("17-year-olds")
    printed = {
        f"{a}-{b}".lower()
        for line in lines
        if "-" in line.text
        for word in COMPOUND.findall(line.text)
        for a, b in zip(word.split("-"), word.split("-")[1:], strict=False)
    }
    for index in range(len(lines) - 1):
        line, nxt = lines[index], lines[index + 1]
        end = HYPHEN_END.search(line.text)
        start = WORD_START.match(nxt.text) if end else None
        if not end or not start or "\t" in line.text or "\t" in nxt.text:
            continue
        left, right = end.group(1), start.group(1)
        hyphenated = f"{left}-{right}"
        # a compound keeps its hyphen: one printed whole elsewhere, "seven-days-a-" + "week", "x-" + "ray"
        compound = "-" in left or len(left.split("-")[-1]) == 1 or hyphenated.lower() in printed
        word = hyphenated if compound else left + right
        lines[index] = replace(line, text=line.text[: end.start()] + word)
        lines[index + 1] = replace(nxt, text=start.group(2).lstrip())
    by_page: dict[int, list[Line]] = {page.number: [] for page in doc.pages}
    for line in lines:
        if line.text.strip():
            by_page[line.page].append(line)
    pages = tuple(Page(p.number, tuple(by_page[p.number]), p.width, p.height) for p in doc.pages)
    return replace(doc, pages=pages)
