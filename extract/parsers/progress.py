"""Progress reports: a council's account, a year or so on, of where it stands on each
recommendation of an inspection.

Councils print the same few things whatever their wording, and the stages below read those:
- lists of recommendations restated under a heading or lead-in that says where they stand
  ("Ofsted recommendations that we can demonstrate we have fully met:"), each item the
  inspection's label ("14.", "152a:") and text, sub-bullets included;
- "Area | Link to Recommendation" tables tying the next plan's areas to the recommendations
  still outstanding, whose cells wrap and whose rows text exports often print as plain lines;
- a board's numbered key priorities after a lead-in ("The LSCB has agreed four key priorities");
- what has improved, as a bullet list, and an overview of the quality of services in prose.

`lines_to_blocks` cuts the document into headed blocks and tables; the other stages turn
blocks into records. A PDF's link table is read through pdfplumber (`read_pdf_tables`) into
the tab-separated rows an export prints, so one reader (`TableReader`) serves both; when
pdfplumber finds no table there, the reader takes the lines as pdfium gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from ..document import Document, Line, span
from ..items import is_bullet, join, label_number, strip_bullet, strip_connector
from ..records import AreaLink, BBox, DocumentInfo, Finding, Recommendation, Record
from ..registry import parser
from ..tables import Row as TableRow
from ..tables import pdf_to_tables
from .peer_review import gap_between

# A heading ends with a colon and is not a sentence; lead-ins ("We can demonstrate that we have
# made fully met the following recommendations:") are longer or start with a pronoun.
HEADING_MAX_WORDS = 10
LEAD_IN_STARTS = ("we ", "i ", "you ", "our ", "they ", "this ", "these ", "it ", "for ", "as ")
# The inspection's label as councils restate it: "14.", "151:", "152a:", "3)".
LABEL = re.compile(r"^(?P<label>\d{1,3}[a-z]?)\s*[.:)]\s+(?=\S)")
# SIF reports number the local authority's recommendations from 1 (rarely past 20) and the
# LSCB's with the paragraph numbers of the board's review, which come after 90 or more
# paragraphs (Cheshire East 2015: 151-158; Lancashire: 137; Islington: 100).
LSCB_PARAGRAPH_FLOOR = 50
# Where a list says recommendations stand, most specific wording first.
STATUS_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bfully met\b", re.I), "met"),
    (re.compile(r"\b(?:partially|partly|part) met\b", re.I), "in progress"),
    (re.compile(r"\bnot (?:yet )?met\b", re.I), "outstanding"),
    (re.compile(r"\bmonitor(?:ed|ing)? for sustained impact\b|\bmonitor(?:ed|ing)?\b", re.I), "monitoring"),
    (re.compile(r"\bmet\b|\bcompleted?\b", re.I), "met"),
    (re.compile(r"\boutstanding\b", re.I), "outstanding"),
    (re.compile(r"\bin progress\b|\bongoing\b|\bon track\b", re.I), "in progress"),
)
# A recommendation a council links to an area of its next plan is carried into that plan.
LINKED_STATUS = "outstanding"
OUTSTANDING_CLAUSE = re.compile(r"[^.,;]*\brecommendations?\b[^.]*?\boutstanding\b[^.,;]*", re.I)
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
PRIORITY_LEAD = re.compile(r"\bpriorit(?:y|ies)\b", re.I)
PRIORITY_OWNER = re.compile(
    r"(?:^|\.\s+)(?:The\s+)?(?P<who>[A-Z][\w'’&]*(?:\s+[A-Z][\w'’&]*)*)\s+ha(?:s|ve)\s+"
    r"(?:agreed|identified|set|adopted|chosen|named)\s+(?:\w+\s+)??(?P<what>(?:key\s+)?priorities\b[^:.]*)"
)
BOARD = re.compile(r"\bL?SCB\b|\bsafeguarding (?:children )?(?:board|partnership)\b", re.I)
# Headings of what-has-improved lists, and of the prose overview whose sentences are findings.
FINDING_LISTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:improvements?|progress) (?:achieved|made)\b|\bwhat has improved\b|\bachievements\b"
            r"|\bstrengths\b|\bworking well\b",
            re.I,
        ),
        "strength",
    ),
    (re.compile(r"\bchallenges\b|\bweaknesses\b|\bareas? of concern\b", re.I), "weakness"),
)
OVERVIEW = re.compile(r"\bquality of (?:services|practice)\b", re.I)
# Overview sentences that state intent or comment on the sentence before are not findings.
INTENT = re.compile(r"\b(?:will|shall|aspir\w*|aims?|intend\w*|want to|need to|continue to|plan to)\b", re.I)
ANAPHORIC = re.compile(r"^(?:This|These|That|Those|It|Such)\b")
WEAKNESS = re.compile(
    r"\brequires? improvement\b|\binadequate\b|\bremained at (?:roughly )?the same\b|\bnot (?:yet )?good\b"
    r"|\btoo (?:slow|high|low|many|few)\b|\bdeclin\w*|\bdeteriorat\w*|\bworse\b",
    re.I,
)
FIGURE = re.compile(r"\d+(?:\.\d+)?%")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])")
SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")
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
class Item:
    """A list item or link cell: its label, stem pieces, sub-items and lines."""

    label: str | None
    parts: list[str]
    lines: list[Line]
    subs: list[list[str]] = field(default_factory=list)

    def add(self, text: str, line: Line) -> None:
        (self.subs[-1] if self.subs else self.parts).append(text)
        self.lines.append(line)

    def sub(self, text: str, line: Line) -> None:
        self.subs.append([text])
        self.lines.append(line)

    @property
    def expects_subs(self) -> bool:
        return bool(self.subs) or join(self.parts).endswith(":")

    @property
    def finished(self) -> bool:
        return bool(SENTENCE_END.search(join(self.subs[-1] if self.subs else self.parts)))

    @property
    def sub_items(self) -> tuple[str, ...]:
        return tuple(strip_connector(join(s)) for s in self.subs)

    @property
    def text(self) -> str:
        return strip_connector(join([join(self.parts), *self.sub_items]))


@dataclass
class Block:
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
    recs: list[Item] = field(default_factory=list)
    open: bool = False  # the area's name may still wrap onto the next line


@parser("progress_report")
def parse_progress_report(doc: Document, info: DocumentInfo) -> list[Record]:
    blocks = lines_to_blocks(doc.lines)
    if doc.is_pdf:
        read_pdf_tables(doc, [b for b in blocks if b.header])
    status_text = outstanding_clause(doc.text)
    found: list[tuple[int, Record]] = []
    listed: list[Finding] = []
    for index, block in enumerate(blocks):
        if block.header:
            before = blocks[index - 1] if index and blocks[index - 1].heading == block.heading else None
            found.extend(table_to_records(block, before, status_text, info.id))
            continue
        for lead, items in lines_to_lists(block.lines):
            records = list_to_records(block.heading, lead, items, info.id)
            listed.extend(r for _, r in records if isinstance(r, Finding))
            found.extend(records)
    if not any(
        isinstance(r, AreaLink) or (isinstance(r, Recommendation) and r.kind == "restatement")
        for _, r in found
    ):
        return []  # no recommendation is reported on: not a progress report
    for block in blocks:
        if block.heading and OVERVIEW.search(block.heading) and not block.header:
            found.extend(prose_to_findings(block, listed, info.id))
    return number_recommendations(found)


def strip_bullets(text: str) -> str:
    """ "- o Reviewing ..." -> "Reviewing ...": exports stack a list dash on the lost glyph."""
    while is_bullet(text):
        text = strip_bullet(text)
    return text.strip()


def is_heading(text: str, previous: str | None = None) -> bool:
    """A short line that is not a list item or a lead-in sentence, ending in a colon, or (as
    PDFs print them) unpunctuated after a finished line."""
    if (
        "\t" in text
        or len(text.split()) > HEADING_MAX_WORDS
        or ". " in text
        or is_bullet(text)
        or LABEL.match(text)
        or text.lower().startswith(LEAD_IN_STARTS)
    ):
        return False
    if text.endswith(":"):
        return True
    after_finished = previous is None or bool(re.search(r"[.!?:]$", previous))
    return after_finished and text[:1].isupper() and not re.search(r"[.,;!?]$", text)


def is_prose(text: str, wrapped: bool = False) -> bool:
    """A sentence as long as a table cell's line never is. Exports print a paragraph on one
    line, which ends a sentence; a PDF wraps it, so any long line there is prose."""
    return (
        "\t" not in text
        and not is_bullet(text)
        and not LABEL.match(text)
        and text[:1].isupper()
        and len(text.split()) >= PROSE_MIN_WORDS
        and (wrapped or ". " in text or text.endswith("."))
    )


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


def table_extent(lines: Sequence[Line], i: int) -> tuple[int, int, tuple[str, ...]]:
    """Where the table whose header row is lines[i] has its body (start, end) and its header
    (the last of repeated header rows). It runs to the first prose; a heading just before
    that prose heads what follows."""
    start = i
    header: tuple[str, ...] = ()
    while start < len(lines) and (cells := header_cells(lines[start])) is not None:
        header = cells
        start += 1
    end = start
    while end < len(lines) and not is_prose(lines[end].text.strip(), lines[end].bbox is not None):
        end += 1
    if end < len(lines) and end > start + 1 and is_heading(lines[end - 1].text.strip()):
        end -= 1
    return start, end, header


def lines_to_blocks(lines: Sequence[Line]) -> list[Block]:
    """Headed blocks of lines, with each Area | Link table a block of its own."""
    blocks: list[Block] = [Block(None, [])]
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text.strip()
        if is_table_header(line):
            first = i
            start, i, header = table_extent(lines, i)
            blocks.append(Block(blocks[-1].heading, list(lines[start:i]), header, list(lines[first:start])))
            blocks.append(Block(blocks[-2].heading, []))
            continue
        if is_heading(text, lines[i - 1].text.strip() if i else None):
            blocks.append(Block(text.rstrip(":").strip(), []))
        else:
            blocks[-1].lines.append(line)
        i += 1
    return [b for b in blocks if b.lines or b.header]


def lines_to_lists(lines: Sequence[Line]) -> list[tuple[str, list[Item]]]:
    """The bullet or numbered lists of a block, each with the prose line that leads into it.
    Unlabelled bullets under a labelled item are its sub-items; a line continues the item
    before it when it starts in lower case, that item's sentence is unfinished, or (in a PDF)
    no paragraph space separates them."""
    lists: list[tuple[str, list[Item]]] = []
    lead = ""
    items: list[Item] | None = None
    for line in lines:
        raw = line.text.strip()
        text = strip_bullets(raw)
        label = LABEL.match(text)
        if label or is_bullet(raw):
            if items is None:
                items = []
                lists.append((lead, items))
            if label:
                items.append(Item(label["label"], [text[label.end() :]], [line]))
            elif items and items[-1].label:
                items[-1].sub(text, line)
            else:
                items.append(Item(None, [text], [line]))
        elif items and (
            text[:1].islower() or not items[-1].finished or not gap_between(items[-1].lines[-1], line)
        ):
            items[-1].add(text, line)
        else:
            items, lead = None, raw
    return lists


def status_of(words: str) -> tuple[str, str] | None:
    """(status, the words as printed) from a heading or lead-in."""
    for pattern, status in STATUS_WORDS:
        m = pattern.search(words)
        if m:
            return status, m.group(0)
    return None


def body_of(number: int | None) -> str:
    return (
        "safeguarding board" if number is not None and number >= LSCB_PARAGRAPH_FLOOR else "local authority"
    )


def list_to_records(
    heading: str | None, lead: str, items: list[Item], doc_id: str
) -> list[tuple[int, Record]]:
    """A list is findings under a what-has-improved heading, key priorities after a lead-in
    naming priorities, or restated recommendations where its heading or lead-in says where
    they stand."""
    words = f"{heading or ''} {lead}"
    for pattern, kind in FINDING_LISTS:
        if heading and pattern.search(heading):
            return [(it.lines[0].number, to_finding(it, kind, heading, doc_id)) for it in items]
    if PRIORITY_LEAD.search(lead):
        section = priority_section(heading, lead)
        body = "safeguarding board" if BOARD.search(lead) else "local authority"
        return [(it.lines[0].number, to_rec(it, "key_priority", body, section, None, doc_id)) for it in items]
    status = status_of(words) if re.search(r"\brecommendations?\b", words, re.I) else None
    if status is None:
        return []
    section = heading or lead.rstrip(":")
    return [
        (
            it.lines[0].number,
            to_rec(it, "restatement", body_of(label_number(it.label)), section, status, doc_id),
        )
        for it in unique_labels(items)
    ]


def unique_labels(items: Sequence[Item]) -> list[Item]:
    """Labelled items, a label printed twice in one list or table kept once."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item.label and item.label not in seen:
            seen.add(item.label)
            out.append(item)
    return out


def priority_section(heading: str | None, lead: str) -> str:
    m = PRIORITY_OWNER.search(lead)
    name = f"{m['who']} {m['what'].strip()}" if m else SENTENCE_SPLIT.split(lead)[-1].rstrip(": ")
    return f"{heading}: {name}" if heading else name


def to_rec(
    item: Item, kind: str, body: str, section: str, status: tuple[str, str | None] | None, doc_id: str
) -> Recommendation:
    page, bbox = span(item.lines)
    return Recommendation(
        doc_id,
        page,
        position=0,
        text=item.text,
        kind=kind,
        label=item.label,
        number=label_number(item.label),
        body=body,
        section=section,
        status=status[0] if status else None,
        status_text=status[1] if status else None,
        sub_items=item.sub_items,
        bbox=bbox,
    )


def to_finding(item: Item, kind: str, section: str | None, doc_id: str) -> Finding:
    page, bbox = span(item.lines)
    return Finding(doc_id, page, kind=kind, text=item.text, section=section, bbox=bbox)


def outstanding_clause(text: str) -> str | None:
    """Where a report says its outstanding recommendations are carried forward: the words
    that give the linked recommendations their status."""
    m = OUTSTANDING_CLAUSE.search(" ".join(text.split()))
    return m.group(0).strip() if m else None


def table_section(block: Block, before: Block | None) -> str:
    """ "Areas for Improvement for 2016-17 (key areas for development, Area | Link to
    Recommendation table)": the heading, what the lead-in says the table lists, its header."""
    subject = None
    if before is not None:
        for sentence in SENTENCE_SPLIT.split(join(ln.text for ln in before.lines)):
            m = LISTING.match(sentence)
            if m:
                subject = RELATIVE.sub("", m["subject"])
                if not subject[1:2].isupper():
                    subject = subject[0].lower() + subject[1:]
    described = ", ".join(p for p in (subject, " | ".join(c for c in block.header if c) + " table") if p)
    return f"{block.heading} ({described})" if block.heading else described


def table_to_records(
    block: Block, before: Block | None, status_text: str | None, doc_id: str
) -> list[tuple[int, Record]]:
    section = table_section(block, before)
    rows = table_lines_to_rows(block.lines)
    found: list[tuple[int, Record]] = []
    for row in rows:
        if row.lines or row.recs:
            lines = row.lines or row.recs[0].lines
            page, bbox = span(lines)
            labels = tuple(dict.fromkeys(r.label for r in row.recs if r.label))
            link = AreaLink(doc_id, page, area=row.area, labels=labels, table=section, bbox=bbox)
            found.append((lines[0].number, link))
    recs = unique_labels([rec for row in rows for rec in row.recs])
    status = (LINKED_STATUS, status_text)
    found.extend(
        (r.lines[0].number, to_rec(r, "restatement", body_of(label_number(r.label)), section, status, doc_id))
        for r in recs
    )
    return found


@dataclass
class TableReader:
    """Reads a link table line by line: the rows so far, the link cell being read, and the
    area cell's previous line (which tells a wrapped line from a new row)."""

    rows: list[Row] = field(default_factory=list)
    rec: Item | None = None
    left: str = ""

    def new_area(self, text: str, line: Line, run_on: bool = False) -> None:
        name = run_on_area(text) if run_on else text
        self.rows.append(Row(name.rstrip(":").strip(), [line], open=not text.endswith(":")))

    def new_rec(self, label: re.Match[str], text: str, line: Line) -> None:
        self.rec = Item(label["label"], [text[label.end() :]], [line])
        if not self.rows:
            self.rows.append(Row(None, []))
        self.rows[-1].recs.append(self.rec)

    def tab_row(self, line: Line) -> None:
        """A row of both columns: an area cell (its name, ending in a colon, then its points)
        and a link cell (recommendations, each starting with its label)."""
        left, right = line.cells[0].strip(), strip_bullets(" ".join(line.cells[1:]))
        label = LABEL.match(right)
        if left:
            rows = self.rows
            if rows and rows[-1].open and (left[:1].islower() or DANGLING.search(self.left)):
                rows[-1].area = f"{rows[-1].area} {left.rstrip(':').strip()}"
                rows[-1].lines.append(line)
                rows[-1].open = not left.endswith(":")
            elif left.endswith(":") or not rows:
                self.new_area(left, line)
            elif label and left[:1].isupper() and not DANGLING.search(self.left):
                self.new_area(left, line, run_on=True)
            else:
                rows[-1].open = False  # one of the area's points
            self.left = left
        if label:
            self.new_rec(label, right, line)
        elif right and self.rec is not None:
            self.rec.add(right, line)

    def plain_line(self, line: Line) -> None:
        """A table line printed without its row: a recommendation, an area heading, a sub-item
        or continuation of the recommendation before it, or one of the area's points."""
        raw = line.text.strip()
        text = strip_bullets(raw)
        label = LABEL.match(text)
        rec = self.rec
        if label:
            self.new_rec(label, text, line)
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


def is_orphan(rec: Item) -> bool:
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


def sentences_of(lines: Sequence[Line]) -> list[tuple[str, list[Line]]]:
    """The sentences of prose lines, each with the lines it is printed on."""
    text, starts = "", []
    for line in lines:
        if not is_bullet(line.text):
            starts.append((len(text), line))
            text += line.text.strip() + " "
    out, offset = [], 0
    for sentence in SENTENCE_SPLIT.split(text):
        begin = text.index(sentence, offset)
        end = begin + len(sentence)
        offset = end
        on = [ln for pos, ln in starts if pos < end and pos + len(ln.text.strip()) >= begin]
        out.append((sentence.strip(), on))
    return [(s, on) for s, on in out if s and on]


def prose_to_findings(block: Block, listed: Sequence[Finding], doc_id: str) -> list[tuple[int, Record]]:
    """Overview sentences that report rather than intend or explain, and that no listed
    improvement already reports (the same figures, or the same words)."""
    seen = {" ".join(f.text.split()) for f in listed}
    figures = [set(FIGURE.findall(f.text)) for f in listed]
    found: list[tuple[int, Record]] = []
    for sentence, lines in sentences_of(block.lines):
        own = set(FIGURE.findall(sentence))
        if INTENT.search(sentence) or ANAPHORIC.match(sentence) or sentence in seen:
            continue
        if own and any(own <= f for f in figures):
            continue
        kind = "weakness" if WEAKNESS.search(sentence) else "strength"
        page, bbox = span(lines)
        found.append(
            (lines[0].number, Finding(doc_id, page, kind, sentence, section=block.heading, bbox=bbox))
        )
    return found


def number_recommendations(found: list[tuple[int, Record]]) -> list[Record]:
    """Records in reading order, recommendations numbered 1.. in that order."""
    out: list[Record] = []
    position = 0
    for _, record in sorted(found, key=lambda pair: (pair[1].page, pair[0])):
        if isinstance(record, Recommendation):
            position += 1
            record = replace(record, position=position)
        out.append(record)
    return out


def read_pdf_tables(doc: Document, blocks: Sequence[Block]) -> None:
    """Give each table block of a PDF its rows as pdfplumber reads them, as the tab-separated
    lines an export prints (a row's cells line by line), so one reader serves both."""
    widths = {page.number: page.width or 0.0 for page in doc.pages}
    zones = [zone_of(block.header_lines + block.lines, widths) for block in blocks]
    for block, tables in zip(blocks, pdf_to_tables(doc.path, zones), strict=True):
        rows = [row for table in tables for row in table.rows]
        lines = [
            ln
            for row in rows
            if not any(LINK_HEADER.search(c) for c in row.cells[1:])
            for ln in row_lines(row, block.lines)
        ]
        if lines:
            block.lines = lines


def zone_of(lines: Sequence[Line], widths: dict[int, float]) -> list[tuple[int, BBox]]:
    """Where a table's lines lie, page by page: their height, and the page's width, as cell
    padding puts a table's rules outside its text."""
    boxes: dict[int, list[BBox]] = {}
    for line in lines:
        if line.bbox is not None:
            boxes.setdefault(line.page, []).append(line.bbox)
    return [
        (page, (0.0, min(b[1] for b in bs), widths.get(page) or max(b[2] for b in bs), max(b[3] for b in bs)))
        for page, bs in sorted(boxes.items())
    ]


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
