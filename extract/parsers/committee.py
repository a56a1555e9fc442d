"""Committee reports: what the report asks its committee to do, the inspection findings and
priorities it lists, the areas of strength and for improvement it restates, the grades it
quotes, and the evaluations it reports.

Council committee reports share a shape whatever the council: numbered paragraphs
("2.1", "5.10.3"), a "Committee is recommended to:" lead with lettered or numbered items,
short unnumbered headings, bullet lists introduced by a sentence ending in a colon. The
stages read that shape, never a particular council's wording of it: `extract.blocks`
rebuilds paragraphs from lines (PDF lines wrap, text exports split at page breaks), and each
`blocks_to_*` stage turns blocks into records. The lists of an inspection's items are read in
`committee_lists`, the grades and evaluations quoted in `committee_grades`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..blocks import Block, heading_before, is_child, lines_to_blocks, list_items, split_sentences
from ..document import Document
from ..items import label_number, strip_connector
from ..records import DocumentInfo, Finding, Record
from .committee_grades import blocks_to_judgements, blocks_to_reported_findings, finding
from .committee_lists import Placed, blocks_to_listed_items, in_printed_order, recommendation

# "The Children and Young People Committee is asked to agree:", "Cabinet is recommended to:",
# "It is recommended that the Board:", "Recommendations:"
COMMITTEE_LEAD = re.compile(
    r"(?:\b(?:is|are)\s+(?:recommended|asked|requested|invited|advised)\s+to\b|"
    r"\brecommended\s+that\b|^recommendations?(?:/s)?\b|"
    r"^that\b[^:]*\b(?:committee|cabinet|board|council|panel|members)\b)[^:]*:$",
    re.I,
)
# a bare "Recommendations" heading with the items straight under it, and a single
# recommendation printed on its heading's line ("Recommendation: That Cabinet notes the report.")
RECOMMENDATIONS_HEADING = re.compile(r"^recommendations?(?:/s)?$", re.I)
INLINE_RECOMMENDATION = re.compile(r"^recommendations?(?:/s)?\s*:\s*(?P<text>.*[^:])$", re.I)
RECOMMENDATION_HEADING = re.compile(r"\brecommendation", re.I)

AREA_HEADINGS = (
    (
        re.compile(r"^(?:key\s+)?(?:areas? of strengths?|strengths|what (?:is working|works) well)\b", re.I),
        "area_of_strength",
    ),
    (
        re.compile(r"^(?:key\s+)?(?:areas? for (?:improvement|development)|what needs to improve)\b", re.I),
        "area_for_improvement",
    ),
)
# An area heading is this short; a longer first sentence is a paragraph that mentions one.
AREA_HEADING_MAX_CHARS = 60


# ---- what the committee is asked to do -------------------------------------------------


def committee_items(blocks: Sequence[Block], index: int) -> list[tuple[Block, str | None, str]]:
    """(block, label, text) of what the block at `index` asks the committee to do, if it is a lead."""
    lead = blocks[index]
    if lead.row:
        return []
    inline = INLINE_RECOMMENDATION.match(lead.body)
    if inline:
        return [(lead, None, inline.group("text"))]
    items = list_items(blocks, index + 1)
    if RECOMMENDATIONS_HEADING.match(lead.body.strip(" .")):
        # under "2. Recommendations" the item may itself be the lead ("2.1 The Committee is asked to:")
        items = [] if not items or items[0].body.endswith(":") else items
    elif not COMMITTEE_LEAD.search(lead.body):
        return []
    return [(item, item.label, strip_connector(item.body)) for item in items]


def blocks_to_committee_recommendations(
    blocks: Sequence[Block], info: DocumentInfo
) -> tuple[list[Placed], set[int]]:
    records: list[Placed] = []
    used: set[int] = set()
    for index, lead in enumerate(blocks):
        items = committee_items(blocks, index)
        if not items:
            continue
        heading = heading_before(blocks, index)
        section = lead.body
        if heading is not None and RECOMMENDATION_HEADING.search(heading.body):
            section = f"{heading.printed}: {lead.body}"
        for item, label, text in items:
            rec = replace(
                recommendation(info, item.lines, text, "committee_recommendation"),
                label=label,
                number=label_number(label),
                body="local authority",
                section=section,
            )
            records.append((item.first, rec))
        listed = 0 if items[0][0] is lead else len(items)
        used.update(range(index, index + 1 + listed))
    return records, used


# ---- areas of strength and for improvement ---------------------------------------------


def area_kind(block: Block) -> tuple[str, str] | None:
    heading = split_sentences(block.body)[0].rstrip(".")
    if block.row or len(heading) > AREA_HEADING_MAX_CHARS:
        return None
    for pattern, kind in AREA_HEADINGS:
        if pattern.match(heading):
            return kind, heading
    return None


def blocks_to_area_findings(
    blocks: Sequence[Block], info: DocumentInfo, used: set[int]
) -> tuple[list[Finding], list[Placed]]:
    """Findings under "Areas of strength" / "Areas for improvement"; the unnumbered headings
    inside an improvement section restate the inspection's areas for improvement."""
    findings: list[Finding] = []
    restated: list[Placed] = []
    for index, lead in enumerate(blocks):
        found = area_kind(lead)
        if found is None or index in used:
            continue
        kind, heading = found
        section = f"{lead.label} {heading}" if lead.label else heading
        theme: str | None = None
        for at, block in enumerate(blocks[index + 1 :], index + 1):
            if block.label and not is_child(block.label, lead.label) or block.row or at in used:
                break
            subheading = block.is_heading and block.label is None and not block.bullet
            if subheading and lead.label is None:
                break  # an unnumbered section ends at the next heading
            if subheading:
                theme = block.body
                if kind == "area_for_improvement":
                    rec = replace(
                        recommendation(info, block.lines, theme, "restatement"),
                        body="local authority",
                        section=section,
                    )
                    restated.append((block.first, rec))
                continue
            findings.append(
                finding(info, block.lines, kind, strip_connector(block.body), theme=theme, section=section)
            )
            used.add(at)
        used.add(index)
    return findings, restated


# ---- the parser ------------------------------------------------------------------------


def parse_committee_report(doc: Document, info: DocumentInfo) -> list[Record]:
    blocks = lines_to_blocks(doc.lines)
    asked, used = blocks_to_committee_recommendations(blocks, info)
    area_findings, restated = blocks_to_area_findings(blocks, info, used)
    listed = blocks_to_listed_items(blocks, info, used)
    recommendations = in_printed_order(asked + listed + restated)
    judgements = blocks_to_judgements(blocks, info)
    reported = blocks_to_reported_findings(blocks, info, used)
    return [*recommendations, *area_findings, *reported, *judgements]
