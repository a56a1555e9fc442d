"""Splitting a committee pack into the documents bound inside it.

A pack is an agenda followed by the papers it lists: minutes, committee reports, their
appendices (an Ofsted report, an annual report, a scorecard). Papers start after a
"this page is intentionally left blank" notice or at a header that only opens a paper: a
meeting-report header, "Minutes of a meeting", a report's "REPORT TO:" block, a scorecard's
header row, an Ofsted report's title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .classify import detect_type, is_scorecard
from .document import Document, Line
from .titles import FRAMEWORK_SIGNS

# A pack binds at least an agenda and two papers; fewer is a single paper with an appendix.
MIN_PARTS = 3
# How far back from a header line its paper's first line may be (the council name, the
# committee name and a strapline stand above "Date of Meeting").
HEADER_LEAD = 3

OPENERS = (
    (re.compile(r"^(?:date of meeting|meeting date)\s*:", re.I), HEADER_LEAD),
    (re.compile(r"^minutes of (?:a|the) meeting", re.I), 1),
    (re.compile(r"^(?:[a-z ]+ )?report to\s*:", re.I), 0),
)
OFSTED_TITLE = re.compile("|".join(p for name, p in FRAMEWORK_SIGNS if name in ("ILACS", "SIF")), re.I)


def opener_lead(lines: Sequence[Line], index: int) -> int | None:
    """How many lines above `index` the paper that `lines[index]` opens starts, or None."""
    text = lines[index].text
    for pattern, lead in OPENERS:
        if pattern.search(text):
            return lead
    if index + 1 < len(lines) and OFSTED_TITLE.match(text) and not lines[index - 1].text.endswith(":"):
        return 1
    if is_scorecard([lines[index]]) and not is_scorecard([lines[index - 1]]):
        return 0
    return None


def lines_to_starts(doc: Document, lines: Sequence[Line]) -> list[int]:
    starts = {0}
    for b in doc.breaks:
        after = next((i for i, line in enumerate(lines) if line.number > b), None)
        if after is not None:
            starts.add(after)
    for index in range(1, len(lines)):
        lead = opener_lead(lines, index)
        if lead is not None:
            start = max(index - lead, 0)
            # a header's lead lines never reach back over a start already found
            nearest = max((s for s in starts if s <= index), default=0)
            starts.add(max(start, nearest))
    return sorted(starts)


def split_pack(doc: Document) -> list[tuple[str, list[Line]]] | None:
    """The papers of a committee pack as (doc_type, lines), the agenda first; None when the
    document is not a pack. A paper of no known type is "other"."""
    lines = doc.lines
    if not lines or detect_type(lines) != "committee_pack":
        return None
    starts = lines_to_starts(doc, lines)
    parts = []
    for start, end in zip(starts, starts[1:] + [len(lines)], strict=True):
        chunk = list(lines[start:end])
        if chunk:
            parts.append(chunk)
    if len(parts) < MIN_PARTS:
        return None
    out: list[tuple[str, list[Line]]] = [("committee_pack", parts[0])]
    for chunk in parts[1:]:
        doc_type = detect_type(chunk) or "other"
        if doc_type == "scorecard" and out[-1][0] == "scorecard":
            # the scorecard's header row repeated on its next page: one table, not two papers
            out[-1][1].extend(chunk)
        else:
            out.append((doc_type, chunk))
    return out
