"""Ofsted lists: the recommendations of inspection reports, and the list engine that the
strengths and headline findings share with them.

Every framework prints its lists the same way underneath: numbered paragraphs or bullets,
each wrapped with a hanging indent, sometimes grouped under parts ("Priority and immediate
action"), themes ("Care leavers") or timescales ("Within three months:"), and ended by the
next section heading. In a PDF the indent tells an item's wrapped lines from the heading
after it; in a text export a blank line and the punctuation do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document import Line
from ..furniture import EDGE_LINES
from ..items import BULLET, join, label_number, strip_connector

# How far (PDF points) a line must sit right of an item's marker to be part of that item:
# Ofsted's hanging indents are 13-28pt, while headings sit at the marker's own x.
INDENT_TOLERANCE = 4.0
# Two lines this close (PDF points) on the left sit at the same indent.
SAME_INDENT = 2.0
# A heading is shorter than this share of the lines of the item above it.
HEADING_WIDTH = 0.75
# A heading longer than this many lines is prose, which ends a list.
MAX_HEADING_LINES = 3
# A theme sub-heading is short; longer unpunctuated text is a sentence that lost its stop.
MAX_THEME_WORDS = 14

# A footnote's number printed after a heading ("What needs to improve?1").
FOOTNOTE_MARK = re.compile(r"(?<=[?:a-z])\d{1,2}$")
# ... or raised on the heading's row as a text line of its own (the 2025-26 reports): a line
# of one or two digits whose top is within this many points of the line before it, right of it.
RAISED_MARK = re.compile(r"^\d{1,2}$")
SAME_ROW = 3.0
PAGE_NUMBER_END = re.compile(r"\s\d{1,3}$")
LABEL = re.compile(r"^\s*(?P<label>\d{1,3}[a-z]?)\.\s+(?=\S)")
TERMINAL = re.compile(r"[.;:!?)’'\"]$")

RECOMMENDATION_HEADING = re.compile(
    r"^(?:recommendations?|what (?:does|do) the (?P<who>[\w ’'()]+?) need to improve\??|"
    r"what needs to improve\s*[?:]?|areas? for (?:priority actions?|improvement)|priority and immediate action|"
    r"priorities for (?:further )?improvement)\s*:?$",
    re.I,
)
PART = re.compile(
    r"^(?:priority and immediate action|areas? for (?:priority actions?|improvement))\s*:?$", re.I
)
# "There are no priority actions." under a part heading: the part is empty, the list goes on;
# "Inspectors identified the following areas for improvement:" only introduces the items.
NOTHING_HERE = re.compile(
    r"^(?:there (?:are|were) no|(?:the )?inspection (?:did not|has not) (?:find|found|identif(?:y|ied)) any)\b"
    r"[\w ]+\.?$|^.*\b(?:the following|as follows)\b[^.]*:$",
    re.I,
)
TIMESCALE = re.compile(
    r"^(?:immediately|with immediate effect|within (?:the next )?\w+(?: \w+)? (?:days?|weeks?|months?))\s*:?$",
    re.I,
)
# Section titles of Ofsted reports that end a list even when paragraph numbering runs on.
STOP = re.compile(
    r"^(?:the local authority['’]s strengths|the local authority has the following strengths|"
    r"(?:summary|executive summary|contents)\b|progress since|inspection (?:judgements?|findings)|"
    r"information about|key strengths|the experiences and progress|the impact of leaders|"
    r"(?:section \d+:\s*)?the (?:effectiveness of the )?(?:local safeguarding children|lscb\b)|"
    r"what the inspection judge?ments? mean|overall effectiveness|what (?:does|do|needs)|"
    r"recommendations?$|grade \d|.*\bbecause:?$)",
    re.I,
)
LSCB_MARKER = re.compile(
    r"^(?:section \d+:\s*)?the (?:effectiveness of the )?(?:local safeguarding children(?:['’]s)? board|lscb)\b"
    r"(?: \(lscb\))?(?:$| is\b| requires?\b| \(lscb\)$)",
    re.I,
)


def clean(text: str) -> str:
    """Text as a reader sees it: tabs are spaces (the loader has already turned pdfium's
    line-end hyphen marker into a hyphen)."""
    return " ".join(text.replace("\t", " ").split())


def bullet_glyph(text: str) -> str | None:
    m = BULLET.match(text)
    return (m.group(0).strip() or "?") if m else None


def strip_marker(text: str) -> str:
    m = LABEL.match(text) or BULLET.match(text)
    return text[m.end() :].strip() if m else text.strip()


def is_raised_mark(line: Line, prev: Line | None) -> bool:
    """Is `line` a footnote's number printed on the row of `prev`, right of its text?"""
    if prev is None or line.bbox is None or prev.bbox is None or not RAISED_MARK.match(line.text.strip()):
        return False
    same_row = line.page == prev.page and abs(line.bbox[1] - prev.bbox[1]) <= SAME_ROW
    return same_row and line.bbox[0] >= prev.bbox[2] - 1.0


def line_before(lines: Sequence[Line], i: int, start: int) -> Line | None:
    """The line before lines[i] from lines[start] on, raised footnote marks aside."""
    j = i - 1
    while j >= start and is_raised_mark(lines[j], lines[j - 1] if j else None):
        j -= 1
    return lines[j] if j >= start else None


def line_after(lines: Sequence[Line], i: int) -> int:
    """The index of the line after lines[i], raised footnote marks aside."""
    j = i + 1
    while j < len(lines) and is_raised_mark(lines[j], lines[j - 1]):
        j += 1
    return j


def x0(line: Line) -> float | None:
    return line.bbox[0] if line.bbox else None


def indented(line: Line, ref: float | None) -> bool:
    """Does `line` sit right of `ref` (PDF points)? False when either position is unknown."""
    x = x0(line)
    return x is not None and ref is not None and x > ref + INDENT_TOLERANCE


@dataclass
class Entry:
    """One printed list item: its marker line, wrapped lines and sub-bullets."""

    label: str | None
    glyph: str | None
    lines: list[Line]
    context: tuple[str | None, str | None, str | None]  # part, timescale, theme
    subs: list[list[Line]] = field(default_factory=list)
    intro: bool = False  # a numbered paragraph that only introduces grouped bullets

    @property
    def all_lines(self) -> list[Line]:
        return self.lines + [line for sub in self.subs for line in sub]

    @property
    def stem(self) -> str:
        return clean(join([strip_marker(self.lines[0].text)] + [ln.text for ln in self.lines[1:]]))

    @property
    def sub_items(self) -> tuple[str, ...]:
        texts = (clean(join([strip_marker(s[0].text)] + [ln.text for ln in s[1:]])) for s in self.subs)
        return tuple(strip_connector(t) for t in texts)

    @property
    def text(self) -> str:
        return join([strip_connector(self.stem), *self.sub_items])


@dataclass
class ListState:
    entries: list[Entry] = field(default_factory=list)
    part: str | None = None
    timescale: str | None = None
    theme: str | None = None
    margin: float | None = None  # x of the top-level markers (PDF)
    glyph: str | None = None  # the top-level bullet glyph (text exports)

    @property
    def kind(self) -> str | None:
        top = [e for e in self.entries if not e.intro]
        return None if not top else ("number" if top[0].label else "bullet")


def gap_before(prev: Line, line: Line) -> bool:
    """A blank line (text export) or a paragraph's worth of space (PDF) between two lines."""
    if prev.bbox and line.bbox:
        if prev.page != line.page:
            return False
        height = prev.bbox[3] - prev.bbox[1]
        return line.bbox[1] - prev.bbox[3] > 0.8 * height
    return line.number - prev.number > 1


def is_top_item(line: Line, state: ListState) -> bool:
    """Does `line` start an item of this list (not a sub-bullet, not another list)?"""
    label = LABEL.match(line.text)
    glyph = None if label else bullet_glyph(line.text)
    if not label and not glyph:
        return False
    if indented(line, state.margin):
        return False
    kind = state.kind
    if label:
        if kind == "bullet":
            return False
        previous = [label_number(e.label) for e in state.entries if e.label]
        return not previous or label_number(label.group("label")) == (previous[-1] or 0) + 1
    if kind == "number" and state.timescale is None:
        return False
    return state.glyph is None or x0(line) is not None or glyph == state.glyph


def continues(entry: Entry, prev: Line, line: Line) -> bool:
    """Is `line` (no marker of its own) a wrapped line of `entry`?"""
    lead = entry.subs[-1][0] if entry.subs else entry.lines[0]
    ended = bool(TERMINAL.search(prev.text.strip()))
    if x0(line) is not None and x0(lead) is not None:
        if line.page != prev.page:
            if ended and looks_like_heading(line.text) and shorter_than_text(line, entry.all_lines):
                return False  # a heading (a case study's) at the top of the next page
            # a line at the very indent of the item's wrapped lines carries on the item over
            # the page break; otherwise the indent proves nothing (some reports indent whole
            # pages), and a finished sentence followed by a capital starts something new
            wrapped = (entry.subs[-1] if entry.subs else entry.lines)[1:]
            if wrapped and abs((x0(line) or 0.0) - (x0(wrapped[-1]) or 0.0)) <= SAME_INDENT:
                return True
            if ended and line.text[:1].isupper():
                return False
        elif gap_before(prev, line):
            return False
        return indented(line, min(x0(entry.lines[0]) or 0.0, x0(lead) or 0.0))
    if gap_before(prev, line):
        return not ended and line.text[:1].islower()
    return not (ended and looks_like_heading(line.text))


def width(line: Line) -> float:
    return line.bbox[2] - line.bbox[0] if line.bbox else 0.0


def shorter_than_text(line: Line, lines: Sequence[Line]) -> bool:
    """A line much shorter than the item's own is a heading, not a wrapped line of it."""
    return width(line) < HEADING_WIDTH * max((width(ln) for ln in lines), default=0.0)


def looks_like_heading(text: str) -> bool:
    text = text.strip()
    return (
        bool(text) and text[0].isupper() and not text.endswith(".") and len(text.split()) <= MAX_THEME_WORDS
    )


def add_sub_or_continue(line: Line, prev: Line, state: ListState) -> bool:
    """Attach `line` to the current item as a sub-bullet or a wrapped line, if it belongs there."""
    if not state.entries or state.entries[-1].intro:
        return False
    entry = state.entries[-1]
    glyph = bullet_glyph(line.text)
    if glyph and not LABEL.match(line.text):
        deeper = indented(line, x0(entry.lines[0]))
        if deeper or (x0(line) is None and (entry.label or glyph != state.glyph)):
            entry.subs.append([line])
            return True
        return False
    if LABEL.match(line.text) and x0(line) is None:
        return False
    if not continues(entry, prev, line):
        return False
    sub_x = x0(entry.subs[-1][0]) if entry.subs else None
    if entry.subs and (sub_x is None or indented(line, sub_x)):
        entry.subs[-1].append(line)
    else:
        entry.lines.append(line)
    return True


def heading_at(lines: Sequence[Line], i: int) -> tuple[str, int]:
    """The heading text starting at lines[i] and the index after it (a heading may wrap)."""
    parts = [lines[i].text]
    j = i + 1
    while j < len(lines) and len(parts) <= MAX_HEADING_LINES:
        nxt = lines[j]
        if LABEL.match(nxt.text) or bullet_glyph(nxt.text) or gap_before(lines[j - 1], nxt):
            break
        if not nxt.text[:1].islower() and TERMINAL.search(parts[-1].strip()):
            break
        if x0(nxt) is not None and not nxt.text[:1].islower():
            break
        parts.append(nxt.text)
        j += 1
    return clean(join(parts)).rstrip(":").strip(), j


def apply_heading(text: str, next_line: Line | None, state: ListState, themes: bool) -> bool:
    """Take a heading inside a list into the state; False when it ends the list."""
    if PART.match(text):
        state.part, state.theme, state.timescale = text, None, None
        return True
    if TIMESCALE.match(text):
        if state.entries and state.entries[-1].label and not state.entries[-1].subs:
            # "15. ... the local authority should take the following action." introduces the groups
            state.entries[-1].intro = True
            state.margin, state.glyph = None, None
        state.timescale, state.theme = text, None
        return True
    if STOP.match(text) or not themes or not looks_like_heading(text) or next_line is None:
        return False
    if not is_top_item(next_line, state):
        return False
    state.theme = text
    return True


def lines_to_entries(
    lines: Sequence[Line], start: int, themes: bool, part: str | None = None, groups: bool = True
) -> tuple[list[Entry], int]:
    """The items of the list that starts at lines[start], and the index where it ends.

    `themes`: whether short headings between items are theme sub-headings (in the 2014-15
    "What does ... need to improve?" lists) rather than the end of the list; `part`: the
    part the list opens in, when its own heading is one ("Areas for improvement");
    `groups`: whether parts and timescales go on with the list (not in a list of findings)."""
    reading = ListReading(lines, start, themes, groups, ListState(part=part))
    i = start
    while i < len(lines):
        after = reading.step(i)
        if after is None:
            break
        i = after
    return [e for e in reading.state.entries if not e.intro], i


@dataclass
class ListReading:
    """One list being read, a line at a time."""

    lines: Sequence[Line]
    start: int
    themes: bool
    groups: bool
    state: ListState

    def step(self, i: int) -> int | None:
        """The index of the next line to read after lines[i], or None where the list ends."""
        lines, state, line = self.lines, self.state, self.lines[i]
        text = clean(line.text)
        if is_raised_mark(line, lines[i - 1] if i else None):
            return i + 1
        if is_top_item(line, state):
            add_item(line, state)
            return i + 1
        if NOTHING_HERE.match(text):
            return i + 1
        if PART.match(text) and not self.groups:
            return None  # a list of findings ends where the areas for improvement begin
        if PART.match(text) or TIMESCALE.match(text):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            apply_heading(text.rstrip(":").strip(), nxt, state, self.themes)
            return i + 1
        prev = line_before(lines, i, self.start)
        if prev is not None and add_sub_or_continue(line, prev, state):
            return i + 1
        resumed = group_after_break(lines, i, state)
        if resumed is not None:
            return resumed  # page furniture between two timed groups
        heading, after = heading_at(lines, i)
        if not apply_heading(heading, lines[after] if after < len(lines) else None, state, self.themes):
            return None
        return after


def add_item(line: Line, state: ListState) -> None:
    """A new top-level item starts at `line`."""
    label = LABEL.match(line.text)
    glyph = None if label else bullet_glyph(line.text)
    context = (state.part, state.timescale, state.theme)
    state.entries.append(Entry(label.group("label") if label else None, glyph, [line], context))
    state.margin = x0(line) if state.margin is None else state.margin
    state.glyph = state.glyph or glyph


def group_after_break(lines: Sequence[Line], i: int, state: ListState) -> int | None:
    """Where a list of timed groups goes on after lines[i:] that belong to no item: the index
    of the next group's heading, when a page break falls before it and at most
    EDGE_LINES lines (as many as page furniture may fill), none of them a list item, stand
    between: a footer or header the loader kept because it did not recur."""
    if state.timescale is None or i == 0:
        return None
    for j in range(i + 1, min(i + 1 + EDGE_LINES, len(lines))):
        if LABEL.match(lines[j - 1].text) or bullet_glyph(lines[j - 1].text):
            return None
        if TIMESCALE.match(clean(lines[j].text)):
            return j if lines[j].page != lines[i - 1].page else None
    return None
