"""Committee reports: what the report asks its committee to do, the inspection findings and
priorities it lists, the areas of strength and for improvement it restates, the grades it
quotes, and the evaluations it reports.

Council committee reports share a shape whatever the council: numbered paragraphs
("2.1", "5.10.3"), a "Committee is recommended to:" lead with lettered or numbered items,
short unnumbered headings, bullet lists introduced by a sentence ending in a colon. The
stages below read that shape, never a particular council's wording of it:
`lines_to_blocks` rebuilds paragraphs from lines (PDF lines wrap, text exports split at page
breaks), and each `blocks_to_*` stage turns blocks into records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..document import Document, Line, span
from ..items import (
    NUMBERED,
    is_bullet,
    join,
    label_number,
    paragraph_refs,
    strip_bullet,
    strip_connector,
)
from ..records import GRADES, DocumentInfo, Finding, Judgement, Recommendation, Record
from ..registry import parser

# A heading is a short block without closing punctuation. 160 characters holds the longest
# heading in the seeds (a 155-character area for improvement restated as a heading). A PDF
# paragraph's first line is as short, so wrapped lines are joined by the gap test, not this.
HEADING_MAX_CHARS = 160
# A vertical gap wider than this share of a line's height separates two PDF paragraphs; wrapped
# lines of one paragraph sit closer (leading is usually 0.2-0.4 of the height).
PARAGRAPH_GAP = 0.6

LETTERED = re.compile(r"^\(?(?P<label>[a-h]|i{1,3}|iv|v|vi{1,3})\)\s+(?=\S)")
# closing punctuation, before any emphasis markers an export left ("ongoing action.*")
SENTENCE_END = re.compile(r"[.:;!?)\"'”’][*_]*$")
SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'])")

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

# Leads that introduce a list of an inspection's findings or recommendations, or of priorities.
LIST_KINDS = (
    (re.compile(r"\bfindings\b", re.I), "key_finding"),
    (re.compile(r"\brecommendations\b", re.I), "restatement"),
    (re.compile(r"\bpriorit(?:y|ies)\b|\bkey themes?\b|\bthemes? for improvement\b", re.I), "key_priority"),
)
COUNT_WORDS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
COUNT = re.compile(
    r"\b(\d{1,2}|"
    + "|".join(COUNT_WORDS.split())
    + r")\s+(?:\w+\s+){0,3}?(findings|recommendations|priorities|themes)\b",
    re.I,
)
SECTION_REF = re.compile(r"\b(?:section|paragraph|para)s?\s+(\d+(?:\.\d+)*)", re.I)
UPDATE = re.compile(r"[\s*_]*\b(Update\s*[–—:-].*?)[\s*_]*$", re.S)

# Progress claims, most cautious first: "completed for use during 2019-20" is still in progress.
STATUS_CUES = (
    ("outstanding", re.compile(r"\bnot (?:yet )?(?:started|met|achieved|completed)\b|\boutstanding\b", re.I)),
    (
        "in progress",
        re.compile(
            r"\bin progress\b|\bongoing\b|\bunderway\b|\bwill commence\b|\bfor use (?:during|in)\b|\bpartially\b",
            re.I,
        ),
    ),
    (
        "met",
        re.compile(
            r"\bcompleted?\b|\bcompletion of\b|\baddressed\b|\bachieved\b|\bis now\b|\bnow (?:held|in place)\b|"
            r"\bhas been (?:developed|created|implemented|established)\b",
            re.I,
        ),
    ),
)

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

# longest first, so "requires improvement to be good" is not read as "requires improvement"
GRADE_WORDS = sorted(GRADES, key=len, reverse=True)
GRADE_GROUP = "(?P<grade>" + "|".join(re.escape(g) for g in GRADE_WORDS) + ")"
GRADE = re.compile(r"\b" + GRADE_GROUP + r"\b", re.I)
JUDGED = re.compile(
    r"\b(?:Ofsted|inspectors?)\s+(?:judged|rated|found)\s+(?P<area>.+?)\s+(?:as|to be)\s+['‘]?"
    + GRADE_GROUP
    + r"\b",
    re.I,
)
OVERALL_GRADES = (
    re.compile(
        r"\b(?:found|judged|rated)\s+(?:us|the council|the (?:local )?authority|our services|the service)\s+"
        r"(?:to be|as)\s+['‘]?" + GRADE_GROUP + r"\b",
        re.I,
    ),
    re.compile(r"\ban?\s+['‘]?" + GRADE_GROUP + r"['’]?\s+(?:judgement|judgment|grade|rating)\b", re.I),
)
AREA_OWNER = re.compile(r"^(?:the\s+(?:council|local authority)['’]s|its|our|their)\s+", re.I)
AREA_PLACE = re.compile(r"\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*$")

# Who evaluates, and the words that make a sentence an evaluation rather than a narrative.
EVALUATOR = re.compile(
    r"\b(?:Ofsted|inspectors?|inspection|peer review(?:ers?)?|DfE|Department for Education|Minister|MP|"
    r"survey)\b|\(MP\)"
)
POSITIVE = re.compile(
    r"\b(?:commended|compliment\w*|praised|recognised that improvements|noted the strengths?|strengths? of|"
    r"(?:areas?|examples?) of good practice)\b",
    re.I,
)
NEGATIVE = re.compile(
    r"\b(?:concern(?:ed|s)?|weakness(?:es)?|shortfalls?|deficienc(?:y|ies)|not (?:consistently|always) (?:good|effective))\b",
    re.I,
)
SURVEY_RESULT = re.compile(r"\bsurvey\b.*\b\d+(?:\.\d+)?%|\b\d+(?:\.\d+)?%.*\bsurvey\b", re.I)
CLAUSE_BREAK = re.compile(r",?\s+but\s+(?=[a-z])|;\s+")
LEADING_LINK = re.compile(r"^(?:However|Also|Furthermore|In addition|In response to [^,]{1,60}),\s+(?=\w)")
FOLLOW_ON = re.compile(r"^(?:This|These|It)\b[^.]*\balso\b")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, heading or table row as printed, with its label."""

    lines: tuple[Line, ...]
    label: str | None
    body: str  # the text without bullet and label
    bullet: bool = False
    row: bool = False

    @property
    def printed(self) -> str:
        """The text as printed, label included ("2. Recommendation/s"), bullet glyph dropped."""
        return join([strip_bullet(self.lines[0].text), *(line.text for line in self.lines[1:])])

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def is_heading(self) -> bool:
        return not self.row and len(self.body) <= HEADING_MAX_CHARS and not SENTENCE_END.search(self.body)


# ---- lines to blocks -------------------------------------------------------------------


def split_label(text: str) -> tuple[str | None, str]:
    m = NUMBERED.match(text) or LETTERED.match(text)
    if not m:
        return None, text
    return m.group("label"), text[m.end() :].strip()


def starts_block(line: Line, previous: Line | None, block: Block | None) -> bool:
    text = line.text.strip()
    if block is None or block.row or "\t" in line.text or is_bullet(text) or LETTERED.match(text):
        return True
    if text[:1].islower():
        return False
    if not SENTENCE_END.search(block.body) and not block.is_heading:
        return False  # a sentence that runs on, even when the next line opens with a number
    if NUMBERED.match(text):
        return True
    return has_gap(line, previous)


def has_gap(line: Line, previous: Line | None) -> bool:
    """Whether blank space parts `line` from the line before it. Only asked after a finished
    sentence or a heading, so a new page counts as space: it rarely splits a paragraph there."""
    if previous is None or line.page != previous.page:
        return True
    if line.bbox is None or previous.bbox is None:
        return line.number > previous.number + 1
    height = max(previous.bbox[3] - previous.bbox[1], 1.0)
    return line.bbox[1] - previous.bbox[3] > PARAGRAPH_GAP * height


def new_block(line: Line) -> Block:
    text = line.text.strip()
    if "\t" in line.text:
        return Block((line,), None, line.text, row=True)
    bullet = is_bullet(text)
    label, body = split_label(strip_bullet(text) if bullet else text)
    # "- 1.1 In September..." is a numbered paragraph that an export marked as a list item
    return Block((line,), label, body, bullet=bullet and label is None)


def lines_to_blocks(lines: Sequence[Line]) -> list[Block]:
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        if not line.text.strip():
            continue
        block = blocks[-1] if blocks else None
        if block is None or starts_block(line, previous, block):
            blocks.append(new_block(line))
        else:
            blocks[-1] = replace(block, lines=block.lines + (line,), body=join([block.body, line.text]))
        previous = line
    return blocks


# ---- shared helpers --------------------------------------------------------------------


def is_child(label: str | None, parent: str | None) -> bool:
    return bool(label and parent and label.startswith(parent.rstrip(".") + "."))


def same_style(label: str | None, first: str | None) -> bool:
    """Whether `label` continues the list that `first` opened ("b" after "a", "2.1.2" after "2.1.1")."""
    if first is None or label is None:
        return first is None and label is None
    if LETTERED.match(first + ") x"):
        return bool(LETTERED.match(label + ") x"))
    if "." not in first:
        return label.isdigit()
    return label.count(".") == first.count(".") and label.rsplit(".", 1)[0] == first.rsplit(".", 1)[0]


def list_items(blocks: Sequence[Block], start: int) -> list[Block]:
    """The run of items that follows a lead: same label style, or bullets."""
    if start >= len(blocks):
        return []
    first = blocks[start]
    if first.row or (first.label is None and not first.bullet):
        return []
    items = []
    for block in blocks[start:]:
        if block.row or not same_style(block.label, first.label) or block.bullet != first.bullet:
            break
        items.append(block)
    return items


def heading_before(blocks: Sequence[Block], index: int) -> Block | None:
    return blocks[index - 1] if index > 0 and blocks[index - 1].is_heading else None


def status_of(text: str) -> str | None:
    for status, cue in STATUS_CUES:
        if cue.search(text):
            return status
    return None


def body_of(text: str) -> str:
    return (
        "safeguarding board"
        if re.search(r"\bLSCB\b|safeguarding (?:children )?board", text, re.I)
        else "local authority"
    )


def recommendation(info: DocumentInfo, lines: Sequence[Line], text: str, kind: str) -> Recommendation:
    """A recommendation placed on its page; stages fill in the rest with `replace`. Positions
    are numbered once all stages have run."""
    page, bbox = span(lines)
    return Recommendation(document_id=info.id, page=page, position=0, text=text, kind=kind, bbox=bbox)


def finding(
    info: DocumentInfo, lines: Sequence[Line], kind: str, text: str, theme: str | None, section: str | None
) -> Finding:
    page, bbox = span(lines)
    return Finding(info.id, page, kind, text, theme=theme, section=section, bbox=bbox)


# ---- what the committee is asked to do -------------------------------------------------


Placed = tuple[int, Recommendation]  # a recommendation and the line it starts on, for ordering


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


# ---- listed inspection findings, recommendations and priorities ------------------------


def kind_of(text: str) -> str | None:
    return next((kind for pattern, kind in LIST_KINDS if pattern.search(text)), None)


def list_kind(lead: Block, heading: Block | None) -> str | None:
    """The kind of the items a lead introduces, named by the lead or by the heading above it."""
    if not lead.body.endswith(":") or lead.is_heading and lead.label is None:
        return None
    return kind_of(lead.body) or (kind_of(heading.body) if heading is not None else None)


def grouped_items(blocks: Sequence[Block], start: int) -> tuple[list[tuple[Block | None, Block]], int]:
    """Items after a lead, each with the group heading ("Immediately:") it sits under, and
    the index of the first block after them."""
    out: list[tuple[Block | None, Block]] = []
    group: Block | None = None
    index = end = start
    while index < len(blocks):
        block = blocks[index]
        if block.label is None and not block.bullet and block.body.endswith(":") and len(block.body) < 60:
            group = block
            index += 1
        items = list_items(blocks, index)
        if not items or (out and not same_style(items[0].label, out[0][1].label)):
            break
        out.extend((group, item) for item in items)
        index = end = index + len(items)
    return out, end


def blocks_to_listed_items(blocks: Sequence[Block], info: DocumentInfo, used: set[int]) -> list[Placed]:
    records: list[Placed] = []
    for index, lead in enumerate(blocks):
        heading = heading_before(blocks, index)
        kind = None if index in used or lead.row else list_kind(lead, heading)
        items, end = grouped_items(blocks, index + 1) if kind else ([], index)
        if not kind or not items:
            continue
        claims = status_claims(blocks[end:], len(items), lead)
        base = f"{lead.label} " if lead.label else ""
        for group, item in items:
            text, update = split_update(strip_connector(item.body))
            status_text = update or (claims if kind != "key_priority" else None)
            timescale = group.body.rstrip(":").strip().lower() if group else None
            named_by = (
                last_sentence(lead.body) if kind_of(lead.body) else heading.body if heading else lead.body
            )
            section = base + (group.body.rstrip(":") if group else named_by)
            rec = replace(
                recommendation(info, item.lines, text, kind),
                label=item.label,
                number=label_number(item.label),
                body=body_of(lead.body + text),
                section=section,
                status=status_of(status_text) if status_text else None,
                status_text=status_text,
                timescale=timescale,
                paragraphs=paragraph_refs(text),
            )
            records.append((item.first, rec))
        used.update(range(index, end))
    return records


def last_sentence(text: str) -> str:
    return SENTENCES.split(text)[-1]


def split_update(text: str) -> tuple[str, str | None]:
    """A priority and the update printed after it ("... Update – ongoing action.")."""
    m = UPDATE.search(text)
    if not m or m.start() == 0:
        return text.strip(" *_"), None
    return text[: m.start()].strip(" *_"), m.group(1).strip(" *_")


def status_claims(later: Sequence[Block], count: int, lead: Block) -> str | None:
    """Later sentences that claim progress on the whole list: they name it by its size ("the
    eight Ofsted findings") or point back to the section that printed it."""
    numbers = {str(count), *(w for i, w in enumerate(COUNT_WORDS.split(), 2) if i == count)}
    top = (lead.label or "").split(".")[0]
    claims = []
    for block in later:
        for sentence in SENTENCES.split(block.body):
            names_list = any(m.group(1).lower() in numbers for m in COUNT.finditer(sentence))
            points_back = bool(top) and any(r.split(".")[0] == top for r in SECTION_REF.findall(sentence))
            if (names_list or points_back) and status_of(sentence):
                claims.append(f"{block.label}: {sentence}" if block.label else sentence)
    return " ".join(claims) or None


# ---- areas of strength and for improvement ---------------------------------------------


def area_kind(block: Block) -> tuple[str, str] | None:
    heading = SENTENCES.split(block.body)[0].rstrip(".")
    if block.row or len(heading) > 60:
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


# ---- grades ----------------------------------------------------------------------------


def grade_of(text: str) -> str | None:
    m = GRADE.search(text)
    if not m:
        return None
    return next(g for g in GRADES if g.lower() == m.group("grade").lower())


def row_to_judgement(block: Block, info: DocumentInfo) -> Judgement | None:
    cells = [c.strip() for c in block.lines[0].cells if c.strip()]
    if len(cells) < 2 or not GRADE.fullmatch(cells[-1].strip(" .")):
        return None
    page, bbox = span(block.lines)
    return Judgement(info.id, page, cells[0].rstrip(". "), grade_of(cells[-1]) or cells[-1], cells[-1], bbox)


def prose_to_judgements(block: Block, info: DocumentInfo) -> list[Judgement]:
    """ "Ofsted judged X as inadequate" names its area; "found us to be 'requires improvement'"
    and "an inadequate judgement" grade the service overall. A paragraph restating a grade
    it has already given ("...resulting in an inadequate judgment") is not a second judgement."""
    page, bbox = span(block.lines)
    out: list[Judgement] = []
    for m in JUDGED.finditer(block.body):
        area = AREA_PLACE.sub("", AREA_OWNER.sub("", m.group("area").strip()))
        out.append(Judgement(info.id, page, area, grade_of(m.group("grade")) or "", m.group(0), bbox))
    for pattern in OVERALL_GRADES:
        for m in pattern.finditer(block.body):
            grade = grade_of(m.group("grade")) or ""
            if all(j.grade != grade for j in out):
                out.append(Judgement(info.id, page, "overall", grade, m.group(0), bbox))
    return out


def blocks_to_judgements(blocks: Sequence[Block], info: DocumentInfo) -> list[Judgement]:
    """Grades from a "Judgement | Grade" table, and grades quoted in prose."""
    out: list[Judgement] = []
    for block in blocks:
        found = row_to_judgement(block, info) if block.row else None
        out.extend([found] if found else [] if block.row else prose_to_judgements(block, info))
    return out


# ---- evaluations the report quotes -----------------------------------------------------


def sentence_to_findings(sentence: str) -> list[tuple[str, str]]:
    """(kind, text) for each clause of a sentence in which an inspector, reviewer, minister or
    survey praises or criticises: "X was commended at the time but inspectors were concerned"."""
    # grades are judgements, and claims that concerns were addressed are statuses, not findings
    if not EVALUATOR.search(sentence) or JUDGED.search(sentence) or status_of(sentence):
        return []
    out = []
    for clause in CLAUSE_BREAK.split(sentence):
        clause = LEADING_LINK.sub("", clause.strip())
        good, bad = bool(POSITIVE.search(clause)), bool(NEGATIVE.search(clause))
        if not (good or bad) and SURVEY_RESULT.search(clause):
            good = True
        if good or bad:
            out.append(("mixed" if good and bad else "strength" if good else "weakness", clause))
    return out


def blocks_to_reported_findings(blocks: Sequence[Block], info: DocumentInfo, used: set[int]) -> list[Finding]:
    out: list[Finding] = []
    theme: str | None = None
    for index, block in enumerate(blocks):
        if block.is_heading and not block.bullet and index not in used:
            # capitals mark a report's skeleton ("1. BACKGROUND"), not a subject
            theme = None if block.body.isupper() else block.body
            continue
        if index in used or block.row or block.label is None:
            continue
        found: list[tuple[str, str]] = []
        for sentence in SENTENCES.split(block.body):
            if found and FOLLOW_ON.match(sentence):
                kind, text = found[-1]
                found[-1] = (kind, f"{text} {sentence}")
                continue
            found.extend(sentence_to_findings(sentence))
        out.extend(
            finding(info, block.lines, kind, text, theme=theme, section=block.label) for kind, text in found
        )
    return out


# ---- the parser ------------------------------------------------------------------------


def number_positions(records: Sequence[tuple[int, Recommendation]]) -> list[Recommendation]:
    """Positions follow the printed order, whichever stage found the item."""
    ordered = sorted(records, key=lambda pair: pair[0])
    return [replace(r, position=i) for i, (_, r) in enumerate(ordered, 1)]


@parser("committee_report")
def parse_committee_report(doc: Document, info: DocumentInfo) -> list[Record]:
    blocks = lines_to_blocks(doc.lines)
    asked, used = blocks_to_committee_recommendations(blocks, info)
    area_findings, restated = blocks_to_area_findings(blocks, info, used)
    listed = blocks_to_listed_items(blocks, info, used)
    recommendations = number_positions(asked + listed + restated)
    judgements = blocks_to_judgements(blocks, info)
    reported = blocks_to_reported_findings(blocks, info, used)
    return [*recommendations, *area_findings, *reported, *judgements]
