"""Peer review letters: the findings letter the LGA sends after a children's safeguarding
peer review.

The letters follow the LGA's template whatever the council:
- "Key overall messages", with "Strengths" and "Areas for further consideration", each item a
  bold heading (exported as a bullet) and a paragraph;
- two tables by theme, one of strengths and one of areas for further consideration, each
  introduced by a sentence ("This table highlights the strengths ..."): a theme cell and a
  cell of bullets, whose rows run over page breaks;
- the key priorities the council named at the action-planning workshop, a bullet list after a
  sentence ending "... the following key priorities:".

The headline strengths are findings (the CONTRACT has no recommendation kind for them), the
headline areas are `area_for_consideration` recommendations, the workshop priorities are
`key_priority` recommendations, and every table bullet is a finding under its theme as printed.
The executive summary restates the tables in prose and gives nothing.

Text exports mark the template with bullets and tab-separated rows; a PDF marks it with
space: a bold heading is a paragraph of its own, a lead-in wraps over lines with no gap
between them, and a table's theme sits in a column of its own (`blocks.gap_between`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..blocks import (
    ListItem,
    cell_bullets,
    ends_sentence,
    gap_between,
    last_sentence,
    paragraph_at,
    strip_bullets,
)
from ..document import Document, Line, span
from ..items import is_bullet, join
from ..records import DocumentInfo, Finding, Recommendation, Record

# The template's headings, matched on a whole line.
HEADLINE = re.compile(r"^key (?:overall )?messages:?$", re.I)
STRENGTHS = re.compile(r"^(?:key )?strengths:?$", re.I)
CONSIDERATION = re.compile(r"^(?:key )?areas? for (?:further )?consideration:?$", re.I)
# The paragraph that introduces a theme table starts "This table ..." and names what it holds.
TABLE_LEAD = re.compile(r"^(?:this|the following|the) table\b", re.I)
TABLE_KIND = re.compile(r"\b(?P<what>strengths|consideration)\b", re.I)
# The priorities follow a paragraph that names them and ends in a colon.
PRIORITIES = re.compile(r"\bpriorities\b", re.I)
# "At the action planning workshop on Friday 7 December 2012 ...": the event the priorities
# come from names their section; without it the lead-in sentence does.
WORKSHOP = re.compile(
    r"\bat the (?P<event>[\w\s'-]+?) (?:on|held on) (?P<date>(?:\w+day,? )?\d{1,2}(?:st|nd|rd|th)? \w+,? \d{4})",
    re.I,
)
# A heading is short and unpunctuated; the template's longest ("Areas for further
# consideration") has five words, its shortest paragraph line far more.
HEADING_MAX_WORDS = 8
# An item's own heading ("Strong commitment at every level to improve outcomes for children")
# runs longer; where a PDF prints it as a plain line, up to this many words make a heading.
ITEM_HEADING_MAX_WORDS = 14
# The template's sections after the key messages, which end them where headings are plain lines.
END_HEADING = re.compile(
    r"^(?:executive summary|summary|introduction|background|conclusions?|next steps):?$", re.I
)
# In a table printed as plain lines (a PDF without tab stops), a theme is a few short
# unpunctuated lines before a bullet; the template's longest theme has ten words.
THEME_MAX_WORDS = 12
SEPARATOR_ROW = re.compile(r"^[-|:\s]*$")
BODY = "local authority"


def parse_peer_review(doc: Document, info: DocumentInfo) -> list[Record]:
    lines = doc.lines
    sections, leads = lines_to_headline_sections(lines), table_leads(lines)
    if not sections and not leads:
        return []  # not the LGA's template: its priorities would be some other list
    records: list[Record] = []
    for subheading, items, parent in sections:
        records.extend(headline_to_records(subheading, items, parent, info.id))
    for start, what in leads:
        kind = "strength" if what.lower() == "strengths" else "area_for_consideration"
        records.extend(items_to_findings(lines_to_theme_items(lines[start + 1 :]), kind, None, info.id))
    records.extend(lines_to_priorities(lines, info.id))
    # the stages run in the template's reading order: headline areas, then workshop priorities
    return records


def to_finding(item: ListItem, kind: str, theme: str | None, section: str | None, doc_id: str) -> Finding:
    page, bbox = span(item.lines)
    return Finding(doc_id, page, kind=kind, text=item.text, theme=theme, section=section, bbox=bbox)


def to_recommendation(item: ListItem, kind: str, section: str, doc_id: str) -> Recommendation:
    page, bbox = span(item.lines)
    return Recommendation(doc_id, page, text=item.text, kind=kind, body=BODY, section=section, bbox=bbox)


def is_heading(text: str, max_words: int = HEADING_MAX_WORDS) -> bool:
    words = text.split()
    return (
        0 < len(words) <= max_words
        and "\t" not in text
        and not is_bullet(text)
        and text[0].isupper()
        and ". " not in text
        and not re.search(r"[.!?;,]$", text)
    )


def lines_to_headline_sections(lines: Sequence[Line]) -> list[tuple[str, list[ListItem], str]]:
    """The items under "Key overall messages" > "Strengths" / "Areas for further consideration":
    (subheading, items, parent heading). An item's bold heading is a bullet in exports and a
    paragraph of its own in a PDF; the first item says which."""
    start = next((i for i, ln in enumerate(lines) if HEADLINE.match(ln.text.strip())), None)
    if start is None:
        return []
    parent = lines[start].text.strip().rstrip(":")
    sections: list[tuple[str, list[ListItem], str]] = []
    bulleted: bool | None = None
    i = start + 1
    while i < len(lines):
        line, text = lines[i], lines[i].text.strip()
        if STRENGTHS.match(text) or CONSIDERATION.match(text):
            sections.append((text.rstrip(":"), [], parent))
            i += 1
            continue
        if not sections or END_HEADING.match(text) or TABLE_LEAD.match(text) or in_priority_lead(lines, i):
            break
        bulleted = is_bullet(text) if bulleted is None else bulleted
        items = sections[-1][1]
        last = None if bulleted else plain_heading(lines, i, first_item=not items)
        if is_bullet(text) or last is not None:
            heading = join(ln.text for ln in lines[i : (last or i) + 1])
            items.append(ListItem([], [line], heading=strip_bullets(heading)))
            i = last or i
        elif bulleted and is_heading(text):
            break  # the next section's heading
        elif items:
            items[-1].add(text, line)
        i += 1
    return sections


def plain_heading(lines: Sequence[Line], i: int, first_item: bool) -> int | None:
    """Where an item heading printed as a paragraph of its own from lines[i] ends (a PDF
    leaves space around it), or None. Without boxes, a short line after a finished sentence."""
    if lines[i].bbox is None:
        before = lines[i - 1].text.strip()
        after_end = first_item or ends_sentence(before)
        return i if after_end and is_heading(lines[i].text.strip(), ITEM_HEADING_MAX_WORDS) else None
    first, last = paragraph_at(lines, i)
    heading = join(ln.text for ln in lines[first : last + 1])
    return last if first == i and is_heading(heading, ITEM_HEADING_MAX_WORDS) else None


def headline_to_records(subheading: str, items: list[ListItem], parent: str, doc_id: str) -> list[Record]:
    """Headline strengths are findings under the parent heading; headline areas are
    recommendations. An item printed as a heading alone keeps the heading as its text."""
    section = f"{parent}: {subheading}"
    for item in items:
        if not item.parts and item.heading:
            item.parts.append(item.heading)
    if STRENGTHS.match(subheading):
        return [to_finding(item, "strength", parent, section, doc_id) for item in items]
    return [to_recommendation(item, "area_for_consideration", section, doc_id) for item in items]


def table_leads(lines: Sequence[Line]) -> list[tuple[int, str]]:
    """(index of the lead-in's last line, "strengths" or "consideration") for each theme table."""
    leads = []
    for i, line in enumerate(lines):
        if "\t" in line.text or not TABLE_LEAD.match(line.text.strip()):
            continue
        first, last = paragraph_at(lines, i)
        m = TABLE_KIND.search(join(ln.text for ln in lines[first : last + 1]))
        if m:
            leads.append((last, m.group("what")))
    return leads


def in_priority_lead(lines: Sequence[Line], i: int) -> bool:
    return is_priority_lead(lines, paragraph_at(lines, i)[1])


def is_priority_lead(lines: Sequence[Line], i: int) -> bool:
    """Whether lines[i] ends the paragraph that introduces the priorities."""
    if "\t" in lines[i].text or not lines[i].text.rstrip().endswith(":"):
        return False
    first, last = paragraph_at(lines, i)
    return last == i and bool(PRIORITIES.search(join(ln.text for ln in lines[first : last + 1])))


def lines_to_theme_items(lines: Sequence[Line]) -> list[ListItem]:
    """The bullets of one theme table, from the line after its lead-in to its end."""
    if lines and "\t" in lines[0].text:
        return rows_to_items(lines)
    return plain_lines_to_items(lines)


def rows_to_items(lines: Sequence[Line]) -> list[ListItem]:
    """Tab-separated rows: a theme cell (empty on rows continued over a page break) and a cell
    of bullets. Text before a cell's first bullet finishes the bullet the page break cut."""
    items: list[ListItem] = []
    theme: str | None = None
    for line in lines:
        if "\t" not in line.text:
            break
        cells = line.cells
        if SEPARATOR_ROW.match(line.text.replace("\t", "")):
            continue
        theme = cells[0].strip() or theme
        head, bullets = cell_bullets(" ".join(cells[1:]))
        if head.strip():
            if items and items[-1].heading == theme:
                items[-1].add(head, line)
            else:
                items.append(ListItem([head], [line], heading=theme))
        items.extend(ListItem([b], [line], heading=theme) for b in bullets)
    return items


def theme_lines(lines: Sequence[Line], i: int) -> int:
    """How many lines from lines[i] print a theme: short unpunctuated lines (a theme cell
    wraps in its column) that the next bullet follows. 0 when lines[i] starts no theme."""
    n = i
    while n < len(lines) and not is_bullet(lines[n].text.strip()):
        n += 1
    run = [ln.text.strip() for ln in lines[i:n]]
    if n == len(lines) or not run or any(ends_sentence(t) for t in run):
        return 0
    return len(run) if is_heading(join(run), THEME_MAX_WORDS) else 0


def plain_lines_to_items(lines: Sequence[Line]) -> list[ListItem]:
    """A theme table printed as lines: a theme, then bullets whose wrapped lines continue
    them, up to the next table or the priorities."""
    items: list[ListItem] = []
    theme: str | None = None
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text.strip()
        finished = not items or ends_sentence(items[-1].parts[-1])
        taken = theme_lines(lines, i) if finished else 0
        if TABLE_LEAD.match(text) or in_priority_lead(lines, i):
            break
        if taken:
            theme = join(ln.text for ln in lines[i : i + taken]).rstrip(":")
            i += taken
            continue
        if is_bullet(text):
            items.append(ListItem([strip_bullets(text)], [line], heading=theme))
        elif items:
            items[-1].add(text, line)
        i += 1
    return items


def items_to_findings(items: list[ListItem], kind: str, section: str | None, doc_id: str) -> list[Record]:
    return [to_finding(item, kind, item.heading, section, doc_id) for item in items if item.text]


def priority_section(lead: str) -> str:
    m = WORKSHOP.search(lead)
    if m:
        return f"Key priorities identified at the {' '.join(m['event'].split())}, {m['date']}"
    return last_sentence(lead.strip()).rstrip(":").strip()


def lines_to_priorities(lines: Sequence[Line], doc_id: str) -> list[Record]:
    """The bullets after the lead-in naming the key priorities."""
    records: list[Record] = []
    for i in range(len(lines)):
        if not is_priority_lead(lines, i):
            continue
        first, _ = paragraph_at(lines, i)
        section = priority_section(join(ln.text for ln in lines[first : i + 1]))
        items: list[ListItem] = []
        for nxt in lines[i + 1 :]:
            text = nxt.text.strip()
            if is_bullet(text):
                items.append(ListItem([strip_bullets(text)], [nxt]))
            elif items and (text[:1].islower() or not gap_between(items[-1].lines[-1], nxt)):
                items[-1].add(text, nxt)
            else:
                break
        records.extend(to_recommendation(item, "key_priority", section, doc_id) for item in items)
    return records
