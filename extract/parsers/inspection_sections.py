"""Where an inspection report's recommendation lists start, whom each is addressed to, and
an item of one as a record (the lists themselves are read by `inspection_lists`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..document import Line, span
from ..items import label_number, paragraph_refs
from ..records import DocumentInfo, Recommendation
from ..vocab import LOCAL_AUTHORITY, SAFEGUARDING_BOARD, body_of
from .inspection_lists import (
    FOOTNOTE_MARK,
    LSCB_MARKER,
    PAGE_NUMBER_END,
    PART,
    RECOMMENDATION_HEADING,
    Entry,
    clean,
)


def in_contents(lines: Sequence[Line], i: int) -> bool:
    """Whether lines[i] is an entry of a contents page: two of the three lines after it end
    in a page number (one may be an entry's first line, wrapped; the entry's own number may
    look like a footnote mark, or be missing)."""
    after = lines[i + 1 : i + 4]
    return sum(bool(PAGE_NUMBER_END.search(ln.text)) for ln in after) >= 2


def section_starts(lines: Sequence[Line]) -> list[tuple[int, re.Match[str]]]:
    """The headings that open recommendation lists (never contents-page lines, which end in
    a page number), with their index."""
    starts: list[tuple[int, re.Match[str]]] = []
    for i, line in enumerate(lines):
        text = FOOTNOTE_MARK.sub("", clean(line.text))
        heading = RECOMMENDATION_HEADING.match(text) if text[:1].isupper() else None
        if heading and in_contents(lines, i):
            continue
        if heading:
            if starts and PART.match(text) and i - starts[-1][0] < 4:
                continue  # "Areas for improvement" straight under "What does ... need to improve?"
            starts.append((i, heading))
    return starts


def section_body(lines: Sequence[Line], start: int, heading: re.Match[str], first_start: int) -> str:
    """Who a list is addressed to: the heading says so, or the report's LSCB part holds it."""
    who = heading.group("who")
    if who:
        return body_of(who) or LOCAL_AUTHORITY
    in_board_part = any(LSCB_MARKER.match(clean(line.text)) for line in lines[first_start + 1 : start])
    return SAFEGUARDING_BOARD if in_board_part else LOCAL_AUTHORITY


def section_name(entry: Entry, heading: str) -> str:
    """The nearest group heading: a timescale, else a part, else the list's own heading."""
    part, timescale, _theme = entry.context
    return timescale or part or heading


def entry_to_recommendation(entry: Entry, body: str, section: str, info: DocumentInfo) -> Recommendation:
    page, bbox = span(entry.all_lines)
    text = entry.text
    return Recommendation(
        document_id=info.id,
        page=page,
        text=text,
        kind="recommendation",
        label=entry.label,
        number=label_number(entry.label),
        body=body,
        section=section,
        theme=entry.context[2],
        timescale=entry.context[1],
        sub_items=entry.sub_items,
        paragraphs=paragraph_refs(text),
        bbox=bbox,
    )
