"""The "Area | Link to Recommendation" tables of progress reports, which tie the areas of a
council's next plan to the inspection's recommendations still outstanding.

Their cells wrap, and text exports often print their rows as plain lines. A PDF's table is
read through pdfplumber (`read_pdf_tables`) into the tab-separated rows an export prints, so
one reader (`TableReader`) serves both; when pdfplumber finds no table there, the reader takes
the lines as pdfium gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from ..blocks import RESTATED_LABEL, RESTATED_LABELS, ListItem, split_label, split_sentences, strip_bullets
from ..document import Document, Line
from ..items import is_bullet, join
from ..tables import Row as TableRow
from ..tables import lines_to_regions, pdf_to_tables

LINK_HEADER = re.compile(r"\blink(?:ed|s)? to (?:the )?(?:ofsted )?recommendations?\b", re.I)
# A PDF prints the header row as one short line: "Area Link to Recommendation".
PLAIN_HEADER = re.compile(r"^[\w&/ ]{1,40}?\s+link(?:ed|s)? to (?:the )?(?:ofsted )?recommendations?$", re.I)
# "Our key areas for development are given overleaf": what the table after it lists.
LISTING = re.compile(
    r"^(?:our |the )?(?P<subject>.+?) (?:are|is) (?:given|included|set out|shown|listed|detailed)\b"
    r".*\b(?:overleaf|below|in the (?:following )?table)\b",
    re.I,
)
RELATIVE = re.compile(r"\b(?:that|which) (?:will be|are|is|have been) ")
# A line this long that starts a sentence is prose, which ends a table.
PROSE_MIN_WORDS = 15
# A table's link cell wraps at about 40 characters. A recommendation a text export prints on
# lines that short, outside any row, is a cell whose row lost its area cell in the export.
NARROW_CELL_CHARS = 45
# Text exports lose a run-on area cell's bullet glyphs ("Good early help Families receive ...");
# a new point starts at a capitalised word followed by a lower-case one, after an area name
# of at least this many words, and never after a word that needs a complement.
MIN_AREA_WORDS = 2
FUNCTION_WORDS = {"a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "with", "by", "from", "at"}
DANGLING = re.compile(r"(?:,|\b(?:and|or|of|to|the|a|in|for|with)|[-–])$", re.I)


@dataclass
class Section:
    """The lines under one heading, or one Area | Link table (`header` set)."""

    heading: str | None
    lines: list[Line]
    header: tuple[str, ...] = ()
    header_lines: list[Line] = field(default_factory=list)


@dataclass
class Row:
    """An area of a link table and the recommendations linked to it."""

    area: str | None
    lines: list[Line]
    recs: list[ListItem] = field(default_factory=list)
    open: bool = False  # the area's name may still wrap onto the next line


# ---- where a table is --------------------------------------------------------------------


def header_cells(line: Line) -> tuple[str, ...] | None:
    """The cells of an Area | Link header row: tab-separated in exports, one line in a PDF."""
    if "\t" in line.text:
        found = any(LINK_HEADER.search(cell) for cell in line.cells[1:])
        return tuple(c.strip() for c in line.cells) if found else None
    m = LINK_HEADER.search(line.text)
    if not m or not PLAIN_HEADER.match(line.text.strip()):
        return None
    return line.text[: m.start()].strip(), line.text[m.start() :].strip()


def is_table_header(line: Line) -> bool:
    return header_cells(line) is not None


def is_prose(text: str, wrapped: bool = False) -> bool:
    """A sentence as long as a table cell's line never is. Exports print a paragraph on one
    line, which ends a sentence; a PDF wraps it, so any long line there is prose."""
    return (
        "\t" not in text
        and not is_bullet(text)
        and not RESTATED_LABEL.match(text)
        and text[:1].isupper()
        and len(text.split()) >= PROSE_MIN_WORDS
        and (wrapped or ". " in text or text.endswith("."))
    )


def table_extent(lines: Sequence[Line], i: int) -> tuple[int, int, tuple[str, ...]]:
    """Where the table whose header row is lines[i] has its body (start, end) and its header
    (the last of repeated header rows). It runs to the first prose."""
    start = i
    header: tuple[str, ...] = ()
    while start < len(lines) and (cells := header_cells(lines[start])) is not None:
        header = cells
        start += 1
    end = start
    while end < len(lines) and not is_prose(lines[end].text.strip(), lines[end].bbox is not None):
        end += 1
    return start, end, header


def table_section(table: Section, before: Section | None) -> str:
    """ "Areas for Improvement for 2016-17 (key areas for development, Area | Link to
    Recommendation table)": the heading, what the lead-in says the table lists, its header."""
    subject = None
    if before is not None:
        for sentence in split_sentences(join(ln.text for ln in before.lines)):
            m = LISTING.match(sentence)
            if m:
                subject = RELATIVE.sub("", m["subject"])
                if not subject[1:2].isupper():
                    subject = subject[0].lower() + subject[1:]
    described = ", ".join(p for p in (subject, " | ".join(c for c in table.header if c) + " table") if p)
    return f"{table.heading} ({described})" if table.heading else described


# ---- rows of a table ---------------------------------------------------------------------


@dataclass
class TableReader:
    """Reads a link table line by line: the rows so far, the link cell being read, and the
    area cell's previous line (which tells a wrapped line from a new row)."""

    rows: list[Row] = field(default_factory=list)
    rec: ListItem | None = None
    left: str = ""

    def new_area(self, text: str, line: Line, run_on: bool = False) -> None:
        name = run_on_area(text) if run_on else text
        self.rows.append(Row(name.rstrip(":").strip(), [line], open=not text.endswith(":")))

    def new_rec(self, label: str, text: str, line: Line) -> None:
        self.rec = ListItem([text], [line], label=label)
        if not self.rows:
            self.rows.append(Row(None, []))
        self.rows[-1].recs.append(self.rec)

    def tab_row(self, line: Line) -> None:
        """A row of both columns: an area cell (its name, ending in a colon, then its points)
        and a link cell (recommendations, each starting with its label)."""
        left, right = line.cells[0].strip(), strip_bullets(" ".join(line.cells[1:]))
        label, rest = split_label(right, RESTATED_LABELS)
        if left:
            self.area_cell(left, line, labelled=label is not None)
            self.left = left
        if label:
            self.new_rec(label, rest, line)
        elif right and self.rec is not None:
            self.rec.add(right, line)

    def area_cell(self, left: str, line: Line, labelled: bool) -> None:
        """An area cell's line: its name wrapping on, a new area, or one of the area's points."""
        rows = self.rows
        if rows and rows[-1].open and (left[:1].islower() or DANGLING.search(self.left)):
            rows[-1].area = f"{rows[-1].area} {left.rstrip(':').strip()}"
            rows[-1].lines.append(line)
            rows[-1].open = not left.endswith(":")
        elif left.endswith(":") or not rows:
            self.new_area(left, line)
        elif labelled and left[:1].isupper() and not DANGLING.search(self.left):
            self.new_area(left, line, run_on=True)
        else:
            rows[-1].open = False  # one of the area's points

    def plain_line(self, line: Line) -> None:
        """A table line printed without its row: a recommendation, an area heading, a sub-item
        or continuation of the recommendation before it, or one of the area's points."""
        raw = line.text.strip()
        text = strip_bullets(raw)
        label, rest = split_label(text, RESTATED_LABELS)
        rec = self.rec
        if label:
            self.new_rec(label, rest, line)
        elif text.endswith(":") and not is_bullet(raw):
            self.new_area(text, line)
            self.rec = None
        elif rec is not None and rec.expects_subs and not text[:1].islower():
            rec.sub(text, line)
        elif rec is not None and not is_bullet(raw) and (text[:1].islower() or not rec.finished):
            rec.add(text, line)
        self.left = "" if label else raw


def table_lines_to_rows(lines: Sequence[Line]) -> list[Row]:
    reader = TableReader()
    for line in lines:
        if "\t" in line.text:
            reader.tab_row(line)
        else:
            reader.plain_line(line)
    return split_orphans(reader.rows)


def split_orphans(rows: list[Row]) -> list[Row]:
    """A recommendation printed on narrow lines outside any row is a row of its own whose
    area the export lost."""
    out: list[Row] = []
    for row in rows:
        kept = [r for r in row.recs if not is_orphan(r)]
        out.append(replace(row, recs=kept))
        out.extend(Row(None, [], [r]) for r in row.recs if is_orphan(r))
    return out


def is_orphan(rec: ListItem) -> bool:
    """Text exports only: a PDF wraps every line, and its tables are read by rows."""
    return len(rec.lines) >= 2 and all(
        ln.bbox is None and "\t" not in ln.text and len(ln.text.strip()) <= NARROW_CELL_CHARS
        for ln in rec.lines
    )


def run_on_area(cell: str) -> str:
    """The area name at the start of a cell whose points lost their bullets."""
    words = cell.split()
    for i in range(MIN_AREA_WORDS, len(words) - 1):
        word, nxt, prev = words[i], words[i + 1], words[i - 1]
        if word[:1].isupper() and nxt[:1].islower() and prev.lower() not in FUNCTION_WORDS:
            return " ".join(words[:i])
    return cell


# ---- tables in a PDF ---------------------------------------------------------------------


def read_pdf_tables(doc: Document, tables: Sequence[Section]) -> None:
    """Give each table section of a PDF its rows as pdfplumber reads them, as the tab-separated
    lines an export prints (a row's cells line by line), so one reader serves both."""
    zones = [lines_to_regions(doc, table.header_lines + table.lines) for table in tables]
    for table, found in zip(tables, pdf_to_tables(doc.path, zones), strict=True):
        rows = [row for t in found for row in t.rows]
        lines = [
            ln
            for row in rows
            if not any(LINK_HEADER.search(c) for c in row.cells[1:])
            for ln in row_lines(row, table.lines)
        ]
        if lines:
            table.lines = lines


def row_lines(row: TableRow, printed: Sequence[Line]) -> list[Line]:
    """A table row as tab-separated lines, numbered as the first printed line of the row."""
    top = row.bbox[1] if row.bbox else 0.0
    on_page = [ln for ln in printed if ln.page == row.page and ln.bbox is not None and ln.bbox[3] > top]
    number = on_page[0].number if on_page else (printed[0].number if printed else 0)
    left = row.cells[0].split("\n") if row.cells else []
    right = " ".join(row.cells[1:]).split("\n") if len(row.cells) > 1 else []
    return [
        Line(f"{a}\t{b}", row.page, number, row.bbox)
        for a, b in zip_longest(left, right, fillvalue="")
        if a.strip() or b.strip()
    ]
