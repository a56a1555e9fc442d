"""Progress reports: a council's account, a year or so on, of where it stands on each
recommendation of an inspection.

Councils print the same few things whatever their wording, and the stages below read those:
- lists of recommendations restated under a heading or lead-in that says where they stand
  ("Ofsted recommendations that we can demonstrate we have fully met:"), each item the
  inspection's label ("14.", "152a:") and text, sub-bullets included;
- "Area | Link to Recommendation" tables tying the next plan's areas to the recommendations
  still outstanding (read in `progress_links`);
- a board's numbered key priorities after a lead-in ("The LSCB has agreed four key priorities");
- what has improved, as a bullet list, and an overview of the quality of services in prose.

`lines_to_sections` cuts the document into headed sections and tables; the other stages turn
sections into records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..blocks import (
    RESTATED_LABEL,
    RESTATED_LABELS,
    ListItem,
    gap_between,
    last_sentence,
    sentences_of,
    split_label,
    strip_bullets,
)
from ..document import Document, Line, span
from ..items import is_bullet, label_number
from ..records import AreaLink, DocumentInfo, Finding, Recommendation, Record
from ..vocab import LOCAL_AUTHORITY, SAFEGUARDING_BOARD, body_of, status_of
from .progress_links import (
    Section,
    is_table_header,
    read_pdf_tables,
    table_extent,
    table_lines_to_rows,
    table_section,
)

# A heading ends with a colon and is not a sentence; lead-ins ("We can demonstrate that we have
# made fully met the following recommendations:") are longer or start with a pronoun.
HEADING_MAX_WORDS = 10
LEAD_IN_STARTS = ("we ", "i ", "you ", "our ", "they ", "this ", "these ", "it ", "for ", "as ")
# SIF reports number the local authority's recommendations from 1 (rarely past 20) and the
# LSCB's with the paragraph numbers of the board's review, which come after 90 or more
# paragraphs (Cheshire East 2015: 151-158; Lancashire: 137; Islington: 100).
LSCB_PARAGRAPH_FLOOR = 50
# A recommendation a council links to an area of its next plan is carried into that plan.
LINKED_STATUS = "outstanding"
OUTSTANDING_CLAUSE = re.compile(r"[^.,;]*\brecommendations?\b[^.]*?\boutstanding\b[^.,;]*", re.I)
PRIORITY_LEAD = re.compile(r"\bpriorit(?:y|ies)\b", re.I)
PRIORITY_OWNER = re.compile(
    r"(?:^|\.\s+)(?:The\s+)?(?P<who>[A-Z][\w'’&]*(?:\s+[A-Z][\w'’&]*)*)\s+ha(?:s|ve)\s+"
    r"(?:agreed|identified|set|adopted|chosen|named)\s+(?:\w+\s+)??(?P<what>(?:key\s+)?priorities\b[^:.]*)"
)
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


def parse_progress_report(doc: Document, info: DocumentInfo) -> list[Record]:
    sections = lines_to_sections(doc.lines)
    if doc.is_pdf:
        read_pdf_tables(doc, [s for s in sections if s.header])
    status_text = outstanding_clause(doc.text)
    found: list[tuple[int, Record]] = []
    listed: list[Finding] = []
    for index, section in enumerate(sections):
        if section.header:
            before = sections[index - 1] if index and sections[index - 1].heading == section.heading else None
            found.extend(table_to_records(section, before, status_text, info.id))
            continue
        for lead, items in lines_to_lists(section.lines):
            records = list_to_records(section.heading, lead, items, info.id)
            listed.extend(r for _, r in records if isinstance(r, Finding))
            found.extend(records)
    if not any(
        isinstance(r, AreaLink) or (isinstance(r, Recommendation) and r.kind == "restatement")
        for _, r in found
    ):
        return []  # no recommendation is reported on: not a progress report
    for section in sections:
        if section.heading and OVERVIEW.search(section.heading) and not section.header:
            found.extend(prose_to_findings(section, listed, info.id))
    # reading order: by page, then by line
    return [r for _, r in sorted(found, key=lambda pair: (pair[1].page, pair[0]))]


def is_heading(text: str, previous: str | None = None) -> bool:
    """A short line that is not a list item or a lead-in sentence, ending in a colon, or (as
    PDFs print them) unpunctuated after a finished line."""
    if (
        "\t" in text
        or len(text.split()) > HEADING_MAX_WORDS
        or ". " in text
        or is_bullet(text)
        or RESTATED_LABEL.match(text)
        or text.lower().startswith(LEAD_IN_STARTS)
    ):
        return False
    if text.endswith(":"):
        return True
    after_finished = previous is None or bool(re.search(r"[.!?:]$", previous))
    return after_finished and text[:1].isupper() and not re.search(r"[.,;!?]$", text)


def lines_to_sections(lines: Sequence[Line]) -> list[Section]:
    """Headed sections of lines, with each Area | Link table a section of its own. A table
    runs to the first prose; a heading just before that prose heads what follows."""
    sections: list[Section] = [Section(None, [])]
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text.strip()
        if is_table_header(line):
            first = i
            start, i, header = table_extent(lines, i)
            if i < len(lines) and i > start + 1 and is_heading(lines[i - 1].text.strip()):
                i -= 1
            sections.append(
                Section(sections[-1].heading, list(lines[start:i]), header, list(lines[first:start]))
            )
            sections.append(Section(sections[-2].heading, []))
            continue
        if is_heading(text, lines[i - 1].text.strip() if i else None):
            sections.append(Section(text.rstrip(":").strip(), []))
        else:
            sections[-1].lines.append(line)
        i += 1
    return [s for s in sections if s.lines or s.header]


def lines_to_lists(lines: Sequence[Line]) -> list[tuple[str, list[ListItem]]]:
    """The bullet or numbered lists of a section, each with the prose line that leads into it.
    Unlabelled bullets under a labelled item are its sub-items; a line continues the item
    before it when it starts in lower case, that item's sentence is unfinished, or (in a PDF)
    no paragraph space separates them."""
    lists: list[tuple[str, list[ListItem]]] = []
    lead = ""
    items: list[ListItem] | None = None
    for line in lines:
        raw = line.text.strip()
        text = strip_bullets(raw)
        label, rest = split_label(text, RESTATED_LABELS)
        if label or is_bullet(raw):
            if items is None:
                items = []
                lists.append((lead, items))
            if label:
                items.append(ListItem([rest], [line], label=label))
            elif items and items[-1].label:
                items[-1].sub(text, line)
            else:
                items.append(ListItem([text], [line]))
        elif items and (
            text[:1].islower() or not items[-1].finished or not gap_between(items[-1].lines[-1], line)
        ):
            items[-1].add(text, line)
        else:
            items, lead = None, raw
    return lists


def body_by_number(number: int | None) -> str:
    return SAFEGUARDING_BOARD if number is not None and number >= LSCB_PARAGRAPH_FLOOR else LOCAL_AUTHORITY


def list_to_records(
    heading: str | None, lead: str, items: list[ListItem], doc_id: str
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
        body = body_of(lead) or LOCAL_AUTHORITY
        return [(it.lines[0].number, to_rec(it, "key_priority", body, section, None, doc_id)) for it in items]
    status = status_of(words) if re.search(r"\brecommendations?\b", words, re.I) else None
    if status is None:
        return []
    section = heading or lead.rstrip(":")
    return [
        (
            it.lines[0].number,
            to_rec(it, "restatement", body_by_number(label_number(it.label)), section, status, doc_id),
        )
        for it in unique_labels(items)
    ]


def unique_labels(items: Sequence[ListItem]) -> list[ListItem]:
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
    name = f"{m['who']} {m['what'].strip()}" if m else last_sentence(lead).rstrip(": ")
    return f"{heading}: {name}" if heading else name


def to_rec(
    item: ListItem, kind: str, body: str, section: str, status: tuple[str, str | None] | None, doc_id: str
) -> Recommendation:
    page, bbox = span(item.lines)
    return Recommendation(
        doc_id,
        page,
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


def to_finding(item: ListItem, kind: str, section: str | None, doc_id: str) -> Finding:
    page, bbox = span(item.lines)
    return Finding(doc_id, page, kind=kind, text=item.text, section=section, bbox=bbox)


def outstanding_clause(text: str) -> str | None:
    """Where a report says its outstanding recommendations are carried forward: the words
    that give the linked recommendations their status."""
    m = OUTSTANDING_CLAUSE.search(" ".join(text.split()))
    return m.group(0).strip() if m else None


def table_to_records(
    table: Section, before: Section | None, status_text: str | None, doc_id: str
) -> list[tuple[int, Record]]:
    """An area link for each row of a link table, and each linked recommendation restated
    with the status the report gives the ones it carries forward."""
    section = table_section(table, before)
    rows = table_lines_to_rows(table.lines)
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
        (
            r.lines[0].number,
            to_rec(r, "restatement", body_by_number(label_number(r.label)), section, status, doc_id),
        )
        for r in recs
    )
    return found


def prose_to_findings(section: Section, listed: Sequence[Finding], doc_id: str) -> list[tuple[int, Record]]:
    """Overview sentences that report rather than intend or explain, and that no listed
    improvement already reports (the same figures, or the same words)."""
    seen = {" ".join(f.text.split()) for f in listed}
    figures = [set(FIGURE.findall(f.text)) for f in listed]
    found: list[tuple[int, Record]] = []
    for sentence, lines in sentences_of(section.lines):
        own = set(FIGURE.findall(sentence))
        if INTENT.search(sentence) or ANAPHORIC.match(sentence) or sentence in seen:
            continue
        if own and any(own <= f for f in figures):
            continue
        kind = "weakness" if WEAKNESS.search(sentence) else "strength"
        page, bbox = span(lines)
        found.append(
            (lines[0].number, Finding(doc_id, page, kind, sentence, section=section.heading, bbox=bbox))
        )
    return found
