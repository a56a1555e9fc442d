"""Ofsted inspection reports and letters: judgements, recommendations and findings.

Layouts are recognised from the text, never from a file name; `info.framework` (itself read
from the document's title) only says to whom a joint inspection's items are addressed:
- ILACS (2018+): a "Judgement Grade" grid, a summary, "What needs to improve" bullets;
- SIF (2013-17): a headline sentence and a numbered grid; "Recommendations" (2015-17) or
  "What does the local authority need to improve?" with parts and themes (2014-15), and the
  same again for the Local Safeguarding Children Board; "because:" headline lists and
  "The local authority's strengths";
- pre-SIF (2012-13): "Areas for improvement" whose bullets are grouped by timescale, and a
  "Record of main findings" grid;
- letters (JTAI, focused and monitoring visits): "Areas for priority action", "Areas for
  improvement" or "What needs to improve?" lists, "Key strengths", and "Next steps";
- area SEND reports (2023+): an "Inspection outcome", ruled tables of priority actions and
  areas for improvement (`inspection_tables`), and what the partnership does well or must
  do better.
The grids and headings are in `inspection_judgements`, the lists in `inspection_lists`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..blocks import sentences_of
from ..document import Document, Line, span
from ..grids import GridReader
from ..items import join, label_number, paragraph_refs
from ..polarity import sentence_kind
from ..records import DocumentInfo, Finding, Judgement, Recommendation, Record, Unread
from ..vocab import (
    AREA_PARTNERSHIP,
    LOCAL_AUTHORITY,
    SAFEGUARDING_BOARD,
    agency_addressed,
    body_of,
    responsible_body,
    send_outcome,
)
from .inspection_judgements import GRID_HEADER, MAX_GRID_LINES, Row, grid_end, grids, lines_to_judgements
from .inspection_lists import (
    BULLET,
    FOOTNOTE_MARK,
    LABEL,
    NOTHING_HERE,
    PART,
    STOP,
    TIMESCALE,
    Entry,
    clean,
    line_after,
    lines_to_entries,
)
from .inspection_sections import entry_to_recommendation, section_body, section_name, section_starts
from .inspection_tables import TableItem, section_table

# Ofsted's reports and letters name themselves in their opening lines; other documents of
# these types (a council's copy of a letter, say) are left alone.
OPENING_LINES = 60
OFSTED_SIGNS = re.compile(
    r"\b(?:ofsted|inspection of|inspection dates?|(?:her|his) majesty['’]s inspector|hmi|judgement\s+grade)\b",
    re.I,
)
# Headings of printed lists of findings, and the kind of finding each holds.
FINDING_LISTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:the local authority['’]s strengths|the local authority has the following strengths|"
            r"the (?:lscb|board)['’]s strengths|(?:key )?strengths|"
            r"what is the (?:local )?area partnership doing that is effective\??)$",
            re.I,
        ),
        "strength",
    ),
    (re.compile(r"^what does the (?:local )?area partnership need to do better\??$", re.I), "weakness"),
)
WHAT_NEEDS_TO_IMPROVE = re.compile(r"^what needs to improve\s*[?:]?$", re.I)
BECAUSE = re.compile(r"\bbecause:?$", re.I)
WEAK_VERDICT = re.compile(r"not yet good|inadequate|requires? improvement|weakness", re.I)
# ILACS summary sentences that frame the verdict rather than state a finding: what the
# last inspection found, "improvement is needed in other services".
FRAMING = re.compile(
    r"^since\b|\b(?:previous|last|earlier) (?:full |ofsted )?inspection\b|\bimprovement is needed\b", re.I
)


def looks_like_ofsted(lines: Sequence[Line]) -> bool:
    return any(OFSTED_SIGNS.search(line.text) for line in lines[:OPENING_LINES])


def parse_inspection(doc: Document, info: DocumentInfo) -> list[Record]:
    lines = doc.lines
    if not looks_like_ofsted(lines):
        return []
    found = grids(lines)  # read once: the judgements come from them, the summary follows them
    records: list[Record] = []
    records.extend(lines_to_judgements(lines, found, info))
    records.extend(unread_grids(lines, found, info))
    if doc.is_pdf:
        with GridReader(doc.path) as reader:
            records.extend(lines_to_recommendations(lines, info, reader))
    else:
        records.extend(lines_to_recommendations(lines, info, None))
    records.extend(lines_to_next_steps(lines, info))
    records.extend(lines_to_outcome(lines, info))
    records.extend(lines_to_listed_findings(lines, info))
    records.extend(lines_to_summary_findings(lines, found, info))
    return records


def entry_to_finding(entry: Entry, kind: str, section: str, info: DocumentInfo) -> Finding:
    page, bbox = span(entry.all_lines)
    return Finding(info.id, page, kind, entry.text, theme=entry.context[2], section=section, bbox=bbox)


def lines_to_listed_findings(lines: Sequence[Line], info: DocumentInfo) -> list[Finding]:
    """ "The local authority's strengths" and the headline "... because:" lists."""
    findings: list[Finding] = []
    end = 0
    for i, line in enumerate(lines):
        text = clean(line.text)
        if i < end or not text[:1].isupper():
            continue
        listed = next((kind for heading, kind in FINDING_LISTS if heading.match(text)), None)
        if listed:
            kind, themes = listed, False
        elif BECAUSE.search(text):
            kind, themes = ("weakness" if WEAK_VERDICT.search(text) else "strength"), True
        else:
            continue
        entries, end = lines_to_entries(lines, i + 1, themes, groups=False)
        findings.extend(entry_to_finding(e, kind, text.rstrip(":"), info) for e in entries)
    return findings


def lines_to_summary_findings(
    lines: Sequence[Line], found: Sequence[list[Row]], info: DocumentInfo
) -> list[Finding]:
    """The sentences of an ILACS summary, between the grid and "What needs to improve"."""
    start = grid_end(lines, found)
    stop = next(
        (
            i
            for i, line in enumerate(lines)
            if WHAT_NEEDS_TO_IMPROVE.match(FOOTNOTE_MARK.sub("", clean(line.text)))
        ),
        None,
    )
    if start is None or stop is None or stop <= start:
        return []
    findings = []
    kind: str | None = None
    for sentence, sentence_lines in sentences_of(lines[start:stop]):
        if FRAMING.search(sentence) or WHAT_NEEDS_TO_IMPROVE.match(sentence):
            continue  # a verdict's framing, or the next heading run into the paragraph
        kind = sentence_kind(sentence, kind)
        page, bbox = span(sentence_lines)
        findings.append(Finding(info.id, page, kind, sentence, section="Summary", bbox=bbox))
    return findings


# ---- recommendations ---------------------------------------------------------------------


def lines_to_recommendations(
    lines: Sequence[Line], info: DocumentInfo, reader: GridReader | None
) -> list[Recommendation | Unread]:
    """Every list of what must improve: printed as a list (the list engine) or, in a PDF whose
    heading is followed by no list item, as a ruled table (an item a row). A list heading
    that gives no item, and does not say there is none, is an `Unread` section."""
    records: list[Recommendation | Unread] = []
    starts = section_starts(lines)
    end = 0
    for start, heading in starts:
        if start < end:
            continue  # a part heading inside the list just read
        text = heading.group(0)
        body = section_body(lines, start, heading, starts[0][0])
        table = section_table(reader, lines, start) if reader and opens_no_list(lines, start) else None
        if table is not None:
            items, end = table
            records.extend(table_item_to_recommendation(item, text, info) for item in items)
            continue
        part = text.rstrip(":") if PART.match(text) else None
        entries, end = lines_to_entries(lines, start + 1, bool(part or heading.group("who")), part)
        if not entries and not says_none(lines, start, end):
            records.append(Unread(info.id, lines[start].page, clean(lines[start].text), lines[start].bbox))
        for entry in unwrapped(entries, text):
            record = entry_to_recommendation(entry, body, section_name(entry, text), info)
            records.append(replace(record, body=addressee(info, record.text, body)))
    return records


def says_none(lines: Sequence[Line], start: int, end: int) -> bool:
    """Whether a list heading is followed by words saying the list is empty ("There are no
    priority actions."), or straight by the next section's title (an outstanding board's
    "Recommendations" printed empty)."""
    after = line_after(lines, start)
    if after < len(lines) and STOP.match(clean(lines[after].text)):
        return True
    return any(NOTHING_HERE.match(clean(line.text)) for line in lines[start + 1 : max(end, start + 3)])


def unread_grids(lines: Sequence[Line], found: Sequence[list[Row]], info: DocumentInfo) -> list[Unread]:
    """A judgement table's header ("Judgement Grade") with no grid read after it."""
    read = {id(ln) for rows in found for row in rows for ln in row.area + row.grade}
    unread = []
    for i, line in enumerate(lines):
        if not GRID_HEADER.match(clean(line.text)):
            continue
        after = lines[i + 1 : i + 1 + MAX_GRID_LINES]
        if not any(id(ln) in read for ln in after):
            unread.append(Unread(info.id, line.page, clean(line.text), line.bbox))
    return unread


def unwrapped(entries: list[Entry], heading: str) -> list[Entry]:
    """A numbered paragraph that only repeats the heading ("13. Priorities for further
    improvement:") introduces its bullets, which are the items."""
    out: list[Entry] = []
    for entry in entries:
        if entry.subs and entry.stem.rstrip(" :").lower() == heading.rstrip(" :?").lower():
            out.extend(Entry(None, "?", sub, entry.context) for sub in entry.subs)
        else:
            out.append(entry)
    return out


def opens_no_list(lines: Sequence[Line], start: int) -> bool:
    """Whether the line after a heading is neither a list item nor a group heading: a table
    may hold the items."""
    first = line_after(lines, start)
    if first >= len(lines):
        return False
    text = clean(lines[first].text)
    if text.lower() == clean(lines[start].text).lower():
        return True  # a table's header cell repeating the heading
    return not (LABEL.match(text) or BULLET.match(text) or PART.match(text) or TIMESCALE.match(text))


BOARD_REVIEW = re.compile(r"\breview of the effectiveness of the local safeguarding children board\b", re.I)
SERVICES_INSPECTION = re.compile(r"\binspection of services\b", re.I)
# "The Haringey Safeguarding Children Board should ...": an item that names who must act.
ADDRESSED = re.compile(r"^(?P<who>[A-Z][^.;:]{2,80}?)\s+(?:should|must|needs? to)\b")


def addressee(info: DocumentInfo, text: str, body: str) -> str:
    """Whom an item is addressed to. A single inspectorate's report speaks to the council or
    its board (the heading says which); a joint inspection's items speak to the partnership
    unless one singles out an agency; an area SEND inspection's to the area partnership."""
    subject = ADDRESSED.match(text)
    named = body_of(subject.group("who"), default=None) if subject else None
    if named:
        return named
    if info.framework == "JTAI":
        return agency_addressed(text)
    if BOARD_REVIEW.search(info.title or "") and not SERVICES_INSPECTION.search(info.title or ""):
        return SAFEGUARDING_BOARD  # a review of the board alone addresses the board
    if info.framework == "SEND":
        return AREA_PARTNERSHIP
    return body


def table_item_to_recommendation(item: TableItem, section: str, info: DocumentInfo) -> Recommendation:
    page, bbox = span(item.all_lines)
    printed = item.body_text
    return Recommendation(
        document_id=info.id,
        page=page,
        text=item.text,
        kind="recommendation",
        label=item.label,
        number=label_number(item.label),
        body=responsible_body(printed) if printed else addressee(info, item.text, LOCAL_AUTHORITY),
        addressed_to=printed,
        section=section.rstrip(":"),
        sub_items=item.sub_items,
        paragraphs=paragraph_refs(item.text),
        bbox=bbox,
    )


NEXT_STEPS = re.compile(r"^next steps$", re.I)
SIGN_OFF = re.compile(r"^yours (?:sincerely|faithfully)\b", re.I)
DUE = re.compile(r"\bby (\d{1,2}(?:st|nd|rd|th)? \w+ \d{4})")
GLUED_FOOTNOTE = re.compile(r"(?<=[a-z])\d{1,2}(?=\s*[.,;]|\s|$)")


def lines_to_next_steps(lines: Sequence[Line], info: DocumentInfo) -> list[Recommendation]:
    """A letter's "Next steps": the written statement of action it asks for, one item, due
    by the date it gives (kept in `timescale`)."""
    start = next((i for i, line in enumerate(lines) if NEXT_STEPS.match(clean(line.text))), None)
    if start is None:
        return []
    body_lines: list[Line] = []
    for line in lines[start + 1 :]:
        if SIGN_OFF.match(clean(line.text)):
            break
        body_lines.append(line)
    if not body_lines:
        return []
    text = GLUED_FOOTNOTE.sub("", join(line.text for line in body_lines))
    text = re.sub(r"\s+([.,;])", r"\1", text)
    due = DUE.search(text)
    page, bbox = span(body_lines)
    return [
        Recommendation(
            document_id=info.id,
            page=page,
            text=text,
            kind="recommendation",
            body=LOCAL_AUTHORITY,
            section=clean(lines[start].text),
            timescale=due.group(0) if due else None,
            bbox=bbox,
        )
    ]


# ---- an area SEND inspection's outcome ------------------------------------------------------

OUTCOME_HEADING = re.compile(r"^inspection outcome$", re.I)
# The outcome sentence follows its heading within a few lines on the first page.
OUTCOME_LINES = 8
AREA_OF = re.compile(r"\binspection of (?:the )?(?P<area>.+)$", re.I)


def lines_to_outcome(lines: Sequence[Line], info: DocumentInfo) -> list[Judgement]:
    """The outcome an area SEND inspection gives instead of grades: its band, read from the
    first sentence under "Inspection outcome", for the area partnership its title names."""
    start = next((i for i, line in enumerate(lines[:60]) if OUTCOME_HEADING.match(clean(line.text))), None)
    if start is None:
        return []
    for sentence, sentence_lines in sentences_of(lines[start + 1 : start + 1 + OUTCOME_LINES]):
        band = send_outcome(sentence)
        if band:
            named = AREA_OF.search(info.title or "")
            page, bbox = span(sentence_lines)
            area = named.group("area") if named else "Local area partnership"
            return [Judgement(info.id, page, area, band, grade_text=sentence, bbox=bbox)]
    return []
