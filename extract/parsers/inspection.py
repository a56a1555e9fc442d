"""Ofsted inspection reports and letters: judgements, recommendations and findings.

Layouts are recognised from the text, never from a file name or `info.framework`:
- ILACS (2018+): a "Judgement Grade" grid, a summary, "What needs to improve" bullets;
- SIF (2013-17): a headline sentence and a numbered grid; "Recommendations" (2015-17) or
  "What does the local authority need to improve?" with parts and themes (2014-15), and the
  same again for the Local Safeguarding Children Board; "because:" headline lists and
  "The local authority's strengths";
- pre-SIF (2012-13): "Areas for improvement" whose bullets are grouped by timescale, and a
  "Record of main findings" grid;
- letters (focused visits): "Areas for priority action" and "Areas for improvement" lists.
The grids and headings are in `inspection_judgements`, the lists in `inspection_lists`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..blocks import sentences_of
from ..document import Document, Line, span
from ..records import DocumentInfo, Finding, Record
from .inspection_judgements import Row, grid_end, grids, lines_to_judgements
from .inspection_lists import (
    Entry,
    clean,
    lines_to_entries,
    lines_to_recommendations,
)

# Ofsted's reports and letters name themselves in their opening lines; other documents of
# these types (a council's copy of a letter, say) are left alone.
OPENING_LINES = 60
OFSTED_SIGNS = re.compile(
    r"\b(?:ofsted|inspection of|inspection dates?|(?:her|his) majesty['’]s inspector|hmi|judgement\s+grade)\b",
    re.I,
)
STRENGTHS = re.compile(
    r"^(?:the local authority['’]s strengths|the local authority has the following strengths|"
    r"the (?:lscb|board)['’]s strengths)$",
    re.I,
)
WHAT_NEEDS_TO_IMPROVE = re.compile(r"^what needs to improve\s*[?:]?$", re.I)
BECAUSE = re.compile(r"\bbecause:?$", re.I)
WEAK_VERDICT = re.compile(r"not yet good|inadequate|requires? improvement|weakness", re.I)
# ILACS summary sentences that frame the verdict rather than state a finding: what the
# last inspection found, "improvement is needed in other services".
FRAMING = re.compile(
    r"^since\b|\b(?:previous|last|earlier) (?:full |ofsted )?inspection\b|\bimprovement is needed\b", re.I
)
# Words that make a summary sentence a weakness; the rest are strengths.
WEAKNESS_CUES = re.compile(
    r"\b(?:not|no|nor|too|insufficient(?:ly)?|inconsistent(?:ly)?|weak(?:er|ness|nesses)?|poor(?:ly)?|"
    r"delays?|delayed|drift|lacks?|lacking|shortfalls?|variab(?:le|ility)|fail(?:s|ed|ing)?|"
    r"deteriorat\w*|inadequate|unclear|gaps?)\b",
    re.I,
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
    records.extend(lines_to_recommendations(lines, info))
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
        if STRENGTHS.match(text):
            kind, themes = "strength", False
        elif BECAUSE.search(text):
            kind, themes = ("weakness" if WEAK_VERDICT.search(text) else "strength"), True
        else:
            continue
        entries, end = lines_to_entries(lines, i + 1, themes)
        findings.extend(entry_to_finding(e, kind, text.rstrip(":"), info) for e in entries)
    return findings


def lines_to_summary_findings(
    lines: Sequence[Line], found: Sequence[list[Row]], info: DocumentInfo
) -> list[Finding]:
    """The sentences of an ILACS summary, between the grid and "What needs to improve"."""
    start = grid_end(lines, found)
    stop = next((i for i, line in enumerate(lines) if WHAT_NEEDS_TO_IMPROVE.match(clean(line.text))), None)
    if start is None or stop is None or stop <= start:
        return []
    findings = []
    for sentence, sentence_lines in sentences_of(lines[start:stop]):
        if FRAMING.search(sentence):
            continue
        kind = "weakness" if WEAKNESS_CUES.search(sentence) else "strength"
        page, bbox = span(sentence_lines)
        findings.append(Finding(info.id, page, kind, sentence, section="Summary", bbox=bbox))
    return findings
