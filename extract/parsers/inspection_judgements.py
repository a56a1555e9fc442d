"""Ofsted judgements: the graded areas of an inspection report.

Three printed forms, in every framework since 2012:
- a grid of areas and grades ("Judgement Grade" in ILACS, numbered "1. ... 2.1 ..." rows in
  the SIF, "Record of main findings" before it); rows wrap, and a grade may wrap too
  ("Requires improvement" / "to be good");
- a headline sentence: "Children's services in Cheshire East require improvement to be
  good", "The overall judgement is inadequate", "The Local Safeguarding Children Board is good";
- before the SIF, section headings followed by "Grade 4 (inadequate)".
Grades in narrative ("was judged to be inadequate") are never taken: only these forms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..document import Line, span
from ..records import DocumentInfo, Judgement
from ..vocab import GRADE_BY_NUMBER, GRADE_NUMBER, normalise_grade
from .inspection_lists import SAME_INDENT, clean

# The headline sentences sit in the report's opening block; further down, the same words
# are narrative about the past ("... was judged inadequate in 2013").
OPENING_LINES = 45
# A grid area never runs past this many printed lines; more is prose after the grid.
MAX_AREA_LINES = 4
MAX_AREA_CHARS = 160
# The longest grid (pre-SIF, wrapped) fills about 25 lines.
MAX_GRID_LINES = 40

SENTENCE_GRADES = r"requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|adequate"
# In a grid a grade may wrap after its first word: "Requires" / "improvement".
GRADE_WORDS = SENTENCE_GRADES + r"|requires?\s+improvement\s+to|requires?"
GRADE_AT_END = re.compile(rf"(?:^|\s)(?P<grade>{GRADE_WORDS})\s*\*?\.?$", re.I)
GRADE_TAIL = re.compile(
    r"^(?:improvement(?:\s+to(?:\s+be(?:\s+good)?)?)?|to(?:\s+be(?:\s+good)?)?|be(?:\s+good)?|good)\.?$", re.I
)
GRID_HEADER = re.compile(
    r"^(?:judgements?\s+grades?|record of main findings|"
    r"the judgements on areas of the service that contribute to overall effectiveness are:?)$",
    re.I,
)
ILACS_GRID = re.compile(r"^judgements?\s+grades?$", re.I)
NUMBERED_ROW = re.compile(r"^\d\.(?:\d\.?)?\s+[A-Z]")
SENTENCE_BREAK = re.compile(r"[.;:]\s+[A-Z‘'(]")
# An area names a service; a line that negates is the summary after the grid ("... are not
# currently receiving consistently good", "The LSCB is not yet demonstrating ... good").
NEGATION = re.compile(r"\bnot\b", re.I)
# An area that ends in one of these words is the start of a sentence ("... services are").
NOT_AN_AREA_END = re.compile(
    r"\b(?:is|are|be|been|was|were|remains?|receives?|a|an|the|as|judged|require)$", re.I
)
OVERALL = re.compile(
    r"^(?:the overall judgement is(?: that)?(?: children['’]s services)?|children['’]s services in .{2,80}?)"
    rf"(?:\s+(?:are|is))?\s+(?P<grade>{SENTENCE_GRADES})\.?$",
    re.I,
)
LSCB_SUBJECT = (
    r"the (?:effectiveness of the )?(?:local safeguarding children(?:['’]s)? board|lscb)(?: \(lscb\))?"
)
LSCB = re.compile(
    rf"^(?:section \d+:\s*)?(?P<subject>{LSCB_SUBJECT})(?:\s+is(?: judged(?: to be)?)?)?"
    rf"\s+(?P<grade>{SENTENCE_GRADES})\.?$",
    re.I,
)
# ILACS section headings restate the grid: used only when a report has lost its grid.
ILACS_HEADING = re.compile(
    r"^(?P<subject>the (?:experiences and progress of|impact of leaders on) .{5,120}?)"
    rf"(?::|\s+(?:is|are):?)\s+(?P<grade>{SENTENCE_GRADES})\.?$",
    re.I,
)
# Only lines starting so can open a headline sentence (a cheap test before the patterns).
HEADLINE_START = re.compile(r"^(?:the |children|section \d)", re.I)
# A headline wraps onto one or two more lines; a longer first line is prose.
MAX_HEADLINE_LINES = 3
MAX_HEADLINE_FIRST_LINE = 90
OVERALL_AREA = "Overall effectiveness"
# From the second half of 2015 the SIF headline reads "Children's services in X ..." and its
# scale is "requires improvement to be good"; ILACS grids use that scale throughout. In those
# reports a cell printed "Requires improvement" is the same grade.
TO_BE_GOOD_SCALE = re.compile(r"^(?:children['’]s services in\b|judgements?\s+grades?$)", re.I)


@dataclass
class Row:
    area: list[Line] = field(default_factory=list)
    area_text: list[str] = field(default_factory=list)
    grade: list[Line] = field(default_factory=list)
    grade_text: list[str] = field(default_factory=list)

    def add_tail(self, line: Line, text: str) -> None:
        self.grade.append(line)
        self.grade_text.append(text)

    def takes_tail(self, text: str) -> bool:
        """Does `text` carry on this row's wrapped grade ("Requires" / "improvement to be" /
        "good")?"""
        if not self.grade_text or not GRADE_TAIL.match(text):
            return False
        so_far = " ".join(self.grade_text).lower().split()
        joined = " ".join([*so_far, *text.lower().rstrip(".").split()])
        return any(
            full.startswith(joined) and len(joined) > len(" ".join(so_far))
            for full in ("requires improvement to be good", "require improvement to be good")
        )


def area_name(text: str) -> str:
    """The area as printed, without its grid number ("2.1 Adoption performance")."""
    return re.sub(r"^\d\.(?:\d\.?)?\s+", "", clean(text)).strip().rstrip(":–-").strip()


def split_row_line(text: str) -> tuple[str, str] | None:
    """(area part, grade) of a grid line that ends in a grade; a tab-separated row's last cell."""
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    if len(cells) >= 2 and normalise_grade(cells[-1]) and len(cells[-1].split()) <= 6:
        return " ".join(cells[:-1]), cells[-1]
    m = GRADE_AT_END.search(clean(text))
    if not m:
        return None
    return clean(text)[: m.start()].strip(), m.group("grade")


def grid_rows(lines: Sequence[Line], start: int) -> list[Row]:
    """The rows of the grid whose first row or header is lines[start]."""
    rows: list[Row] = []
    pending: list[Line] = []
    page = lines[start].page if start < len(lines) else 0
    last = False
    ilacs = start > 0 and bool(ILACS_GRID.match(clean(lines[start - 1].text)))
    area_x: float | None = None  # the left edge of the area cells read so far (PDF)
    for line in lines[start : start + MAX_GRID_LINES]:
        text = clean(line.text)
        if left_of_cells(line, area_x):
            break
        if GRID_HEADER.match(text):
            continue
        if line.page != page and rows and not (NUMBERED_ROW.match(text) or split_row_line(line.text)):
            break  # a grid runs on over a page only with its next row
        if last and not rows[-1].takes_tail(text):
            break
        page = line.page
        if rows and not pending and rows[-1].takes_tail(text):
            rows[-1].add_tail(line, text)
            continue
        split = split_row_line(line.text)
        area_part = split[0] if split else text
        if SENTENCE_BREAK.search(area_name(area_part)) or len(area_part) > MAX_AREA_CHARS:
            break
        if split is None:
            pending = [line] if not text[:1].islower() else pending + [line]
            if len(pending) > MAX_AREA_LINES:
                break
            continue
        row = area_row(pending, line, area_part, split[1])
        if row is None:
            break
        rows.append(row)
        area_x = leftmost(row.area, area_x)
        pending = []
        # the last row of an ILACS grid: only its grade's wrapped end may follow
        last = ilacs and area_name(" ".join(row.area_text)).lower().startswith("overall effectiveness")
    return rows


def left_of_cells(line: Line, area_x: float | None) -> bool:
    """Whether a line stands left of every area cell read so far (they are inset from the
    margin where the prose starts): the prose after the grid, which in 2026 no overall row ends."""
    return area_x is not None and line.bbox is not None and line.bbox[0] < area_x - SAME_INDENT


def area_row(pending: list[Line], line: Line, area_part: str, grade: str) -> Row | None:
    """The row a line holding a grade ends: its area is the lines pending above and the line's
    own area part. None when that is no area (a sentence, a negation): the grid has ended."""
    if area_part and not area_part[:1].islower():
        pending = []  # an area starting afresh: what came before was a caption
    area_texts = [clean(p.text) for p in pending] + ([area_part] if area_part else [])
    if (
        not area_texts
        or NOT_AN_AREA_END.search(" ".join(area_texts))
        or NEGATION.search(" ".join(area_texts))
    ):
        return None
    return Row(pending + ([line] if area_part else []), area_texts, [line], [grade])


def leftmost(lines: Sequence[Line], x: float | None) -> float | None:
    """The least of `x` and the left edges of `lines` (None when neither has one)."""
    xs = [ln.bbox[0] for ln in lines if ln.bbox] + ([x] if x is not None else [])
    return min(xs) if xs else None


def row_to_judgement(row: Row, info: DocumentInfo) -> Judgement | None:
    grade_text = " ".join(row.grade_text)
    grade = normalise_grade(grade_text)
    if grade is None:
        return None
    page, bbox = span(row.area + [g for g in row.grade if g not in row.area])
    return Judgement(info.id, page, area_name(" ".join(row.area_text)), grade, grade_text, bbox)


def grid_starts(lines: Sequence[Line]) -> list[int]:
    """Where grids may begin: after a header line, or at a numbered row in the opening block."""
    headers = [i + 1 for i, line in enumerate(lines) if GRID_HEADER.match(clean(line.text))]
    if headers:
        return headers
    numbered = (i for i, line in enumerate(lines[:OPENING_LINES]) if NUMBERED_ROW.match(clean(line.text)))
    return [i for i in numbered][:1]


def grids(lines: Sequence[Line]) -> list[list[Row]]:
    """The report's judgement grids: runs of at least two rows."""
    found = (grid_rows(lines, start) for start in grid_starts(lines))
    return [rows for rows in found if len(rows) >= 2]


def grids_to_judgements(found: Sequence[list[Row]], info: DocumentInfo) -> list[Judgement]:
    rows = [row for grid in found for row in grid]
    return [j for j in (row_to_judgement(row, info) for row in rows) if j]


def grid_end(lines: Sequence[Line], found: Sequence[list[Row]]) -> int | None:
    """The index just after the first judgement grid (of `found`, the report's grids), where
    an ILACS summary begins."""
    if not found:
        return None
    last = found[0][-1].grade[-1]
    return next(i for i, line in enumerate(lines) if line is last) + 1


def sentence_at(
    lines: Sequence[Line], i: int, pattern: re.Pattern[str]
) -> tuple[re.Match[str], list[Line]] | None:
    """A headline sentence starting at lines[i], which may wrap onto the next line or two."""
    if not HEADLINE_START.match(lines[i].text) or len(lines[i].text) > MAX_HEADLINE_FIRST_LINE:
        return None
    for end in range(i + 1, min(i + MAX_HEADLINE_LINES, len(lines)) + 1):
        m = pattern.match(clean(join_lines(lines[i:end])))
        if m:
            return m, list(lines[i:end])
    return None


def join_lines(lines: Sequence[Line]) -> str:
    return " ".join(line.text for line in lines)


def lines_to_sentence_judgements(lines: Sequence[Line], info: DocumentInfo) -> list[Judgement]:
    """The overall headline in the opening block and the LSCB's judgement wherever its part starts."""
    found: list[Judgement] = []
    for i in range(len(lines)):
        checks = [LSCB] + ([OVERALL] if i < OPENING_LINES else [])
        for pattern in checks:
            hit = sentence_at(lines, i, pattern)
            grade = normalise_grade(hit[0].group("grade")) if hit else None
            if hit and grade:
                area = hit[0].group("subject") if pattern is LSCB else OVERALL_AREA
                page, bbox = span(hit[1])
                found.append(Judgement(info.id, page, area, grade, hit[0].group("grade"), bbox))
    return found


def lines_to_heading_judgements(lines: Sequence[Line], info: DocumentInfo) -> list[Judgement]:
    """ILACS section headings that carry a grade ("The experiences and progress of ...: good")."""
    found = []
    for i in range(len(lines)):
        hit = sentence_at(lines, i, ILACS_HEADING)
        grade = normalise_grade(hit[0].group("grade")) if hit else None
        if hit and grade:
            page, bbox = span(hit[1])
            found.append(
                Judgement(info.id, page, hit[0].group("subject"), grade, hit[0].group("grade"), bbox)
            )
    return found


def lines_to_graded_headings(lines: Sequence[Line], info: DocumentInfo) -> list[Judgement]:
    """Pre-SIF section headings followed by "Grade 4 (inadequate)"."""
    found = []
    for i, line in enumerate(lines):
        m = GRADE_NUMBER.match(clean(line.text))
        if not m or i == 0:
            continue
        heading = [lines[i - 1]]
        if i >= 2 and heading[0].text[:1].islower():
            heading.insert(0, lines[i - 2])
        grade = GRADE_BY_NUMBER[m.group("n")]
        page, bbox = span(heading + [line])
        found.append(Judgement(info.id, page, clean(join_lines(heading)), grade, clean(line.text), bbox))
    return found


def lines_to_judgements(
    lines: Sequence[Line], found: Sequence[list[Row]], info: DocumentInfo
) -> list[Judgement]:
    """Every graded area once: the grid (`found`, the report's grids; else graded headings),
    then the headline sentences for areas it does not hold."""
    judgements = grids_to_judgements(found, info)
    if not judgements:  # a text export that lost its grid, or a report printed without one
        judgements = lines_to_heading_judgements(lines, info) + lines_to_graded_headings(lines, info)
    seen = {key(j.area) for j in judgements}
    for judgement in lines_to_sentence_judgements(lines, info):
        if key(judgement.area) not in seen:
            judgements.append(judgement)
            seen.add(key(judgement.area))
    if uses_to_be_good_scale(lines, judgements):
        judgements = [on_to_be_good_scale(j) for j in judgements]
    return judgements


def uses_to_be_good_scale(lines: Sequence[Line], judgements: Sequence[Judgement]) -> bool:
    if any("to be good" in (j.grade_text or "").lower() for j in judgements):
        return True
    # the report's first headline or grid header names its scale; a later "Children's
    # services in X are ..." in a 2014-15 summary restates the headline in the old scale
    for i, line in enumerate(lines[:OPENING_LINES]):
        if GRID_HEADER.match(clean(line.text)) or sentence_at(lines, i, OVERALL):
            return bool(TO_BE_GOOD_SCALE.match(clean(line.text)))
    return False


def on_to_be_good_scale(judgement: Judgement) -> Judgement:
    if judgement.grade != "Requires improvement":
        return judgement
    return replace(judgement, grade="Requires improvement to be good")


def key(area: str) -> str:
    """Areas compared loosely; the LSCB's two printed subjects are one area."""
    if re.fullmatch(LSCB_SUBJECT, area, re.I):
        return "lscb"
    if area.lower().startswith("overall effectiveness"):
        return "overall effectiveness"
    return " ".join(re.sub(r"[^\w ]", " ", area.lower()).split())
