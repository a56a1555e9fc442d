"""What a committee report quotes of others' verdicts: the grades an inspection gave (from a
"Judgement | Grade" table or a sentence, "Ofsted judged X as inadequate"), and the
evaluations an inspector, reviewer, minister or survey made ("X was commended").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..blocks import Block, split_sentences
from ..document import Line, span
from ..records import DocumentInfo, Finding, Judgement
from ..vocab import GRADE_GROUP, GRADE_IN_TEXT, grade_in, status_of

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


def finding(
    info: DocumentInfo, lines: Sequence[Line], kind: str, text: str, theme: str | None, section: str | None
) -> Finding:
    page, bbox = span(lines)
    return Finding(info.id, page, kind, text, theme=theme, section=section, bbox=bbox)


# ---- grades ------------------------------------------------------------------------------


def row_to_judgement(block: Block, info: DocumentInfo) -> Judgement | None:
    cells = [c.strip() for c in block.lines[0].cells if c.strip()]
    if len(cells) < 2 or not GRADE_IN_TEXT.fullmatch(cells[-1].strip(" .")):
        return None
    page, bbox = span(block.lines)
    return Judgement(info.id, page, cells[0].rstrip(". "), grade_in(cells[-1]) or cells[-1], cells[-1], bbox)


def prose_to_judgements(block: Block, info: DocumentInfo) -> list[Judgement]:
    """ "Ofsted judged X as inadequate" names its area; "found us to be 'requires improvement'"
    and "an inadequate judgement" grade the service overall. A paragraph restating a grade
    it has already given ("...resulting in an inadequate judgment") is not a second judgement."""
    page, bbox = span(block.lines)
    out: list[Judgement] = []
    for m in JUDGED.finditer(block.body):
        area = AREA_PLACE.sub("", AREA_OWNER.sub("", m.group("area").strip()))
        out.append(Judgement(info.id, page, area, grade_in(m.group("grade")) or "", m.group(0), bbox))
    for pattern in OVERALL_GRADES:
        for m in pattern.finditer(block.body):
            grade = grade_in(m.group("grade")) or ""
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


# ---- evaluations the report quotes -------------------------------------------------------


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


def paragraph_to_findings(body: str) -> list[tuple[str, str]]:
    """(kind, text) of a paragraph's evaluations; a sentence that adds to the one before
    ("It also noted ...") joins that finding."""
    found: list[tuple[str, str]] = []
    for sentence in split_sentences(body):
        if found and FOLLOW_ON.match(sentence):
            kind, text = found[-1]
            found[-1] = (kind, f"{text} {sentence}")
            continue
        found.extend(sentence_to_findings(sentence))
    return found


def blocks_to_reported_findings(blocks: Sequence[Block], info: DocumentInfo, used: set[int]) -> list[Finding]:
    """Evaluations quoted in numbered paragraphs, under the unnumbered heading before them."""
    out: list[Finding] = []
    theme: str | None = None
    for index, block in enumerate(blocks):
        if block.is_heading and not block.bullet and index not in used:
            # capitals mark a report's skeleton ("1. BACKGROUND"), not a subject
            theme = None if block.body.isupper() else block.body
            continue
        if index in used or block.row or block.label is None:
            continue
        out.extend(
            finding(info, block.lines, kind, text, theme=theme, section=block.label)
            for kind, text in paragraph_to_findings(block.body)
        )
    return out
