"""What a document is: its type, authority, own date, inspection framework and title.

Decided from the text of its first pages, the way a reader glances at a cover: the title
block, the salutation of a letter, a meeting header, an action table's header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .authorities import authority_from_name, find_authority
from .dates import find_dates
from .document import Document, Line
from .errors import DocumentError
from .providers import Provider, find_provider
from .titles import (
    Title,
    detect_framework,
    find_title,
    inspection_theme,
    without_footnote_marks,
)
from .vocab import INSPECTION_TYPES

# How much of a document's start is its "cover": enough for an Ofsted title block and a
# committee report's header table, short enough that body text does not vote.
COVER_LINES = 40
# Authorities are counted over a longer stretch: a letter names its council in the address.
AUTHORITY_LINES = 120
# An Ofsted report, a plan or an agenda says what it is in its first few lines.
TITLE_LINES = 12
# A plan's first action table can follow a page or two of objectives.
PLAN_HEADER_LINES = 400


@dataclass(frozen=True)
class Classification:
    doc_type: str
    title: str | None
    authority: str | None
    date: str | None
    date_text: str | None
    framework: str | None
    theme: str | None = None
    deep_dive: str | None = None
    provider: str | None = None


def has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I | re.M) is not None


def detect_type(lines: list[Line], title: Title | None = None) -> str | None:
    """The document type from its cover, or None when it is of no kind we know."""
    cover = "\n".join(line.text for line in lines[:COVER_LINES])
    head = "\n".join(line.text for line in lines[:TITLE_LINES])
    framework = detect_framework(head)
    is_letter = has(r"^dear\b", cover) or has(r"^\s*yours sincerely", cover)
    if has(r"^agenda\b", head):
        return "committee_pack"
    if has(r"^minutes of (?:a|the) meeting", head):
        return "minutes"
    if has(
        r"^(?:date of meeting|meeting date)\s*:|^report title\s*:|^to\s*:.*(?:committee|board|cabinet)", cover
    ):
        return "committee_report"
    if title is not None:
        return title.doc_type
    if has(r"peer review|peer challenge", cover) and (
        is_letter or has(r"local government association|\blga\b", cover)
    ):
        return "peer_review_letter"
    if framework in ("JTAI", "focused visit", "monitoring visit") and (
        is_letter or has(r"ofsted|inspect", cover)
    ):
        return "inspection_letter"
    if framework:
        return "inspection_report"
    if has(r"progress report|progress update|update on progress", head):
        return "progress_report"
    plan_body = "\n".join(line.text for line in lines[:PLAN_HEADER_LINES])
    if has(r"improvement plan|action plan", head) and has(r"target date|delivery lead|\blead\b", plan_body):
        return "improvement_plan"
    if is_scorecard(lines):
        return "scorecard"
    return None


# A scorecard's header row, as a PDF prints it (no tabs): "Ref ... Target ... RAG".
SCORECARD_HEADER = re.compile(r"^ref\s+(?=.*\b(?:rag|target)\b)(?:\S+\s+){3,}", re.I)


def is_scorecard(lines: list[Line]) -> bool:
    for line in lines[:COVER_LINES]:
        cells = [c.strip().lower() for c in line.cells]
        if len(cells) >= 5 and "ref" in cells and ("rag" in cells or "target" in cells):
            return True
        if len(cells) == 1 and SCORECARD_HEADER.match(line.text):
            return True
    return False


# A title block is at most this long: a cover's first lines run on into its narrative when it
# has no date or field line to stop at. A 2014-15 SIF's title with its LSCB review, below the
# council's name, is 211 characters ("... the local safeguarding children board").
TITLE_CHARS = 240


def detect_title(lines: list[Line], doc_type: str) -> str | None:
    """The title block: the cover's first lines up to its first date or field line."""
    for line in lines[:COVER_LINES]:
        m = re.match(r"^(?:report title|subject/title|subject)\s*:\s*(.+)$", line.text, re.I)
        if m:
            return m.group(1).strip()
    block: list[str] = []
    for line in lines[:COVER_LINES]:
        text = line.text.strip()
        if find_dates(text) or ":" in text[:30] or (block and len(block) >= 6) or "\t" in text:
            if block:
                break
            continue
        if doc_type == "peer_review_letter" or re.match(r"^dear\b", text, re.I):
            return letter_title(lines)
        block.append(text)
        if len(" ".join(block)) > TITLE_CHARS or text.endswith("."):
            break
    title = " ".join(block).strip(" *")
    return title or None


def letter_title(lines: list[Line]) -> str | None:
    """A letter has no title line; it names what it reports on ("... Safeguarding Peer Review")."""
    text = " ".join(line.text for line in lines[:COVER_LINES])
    m = re.search(r"((?:[A-Z][\w'’&-]*\s+){0,6}Peer (?:Review|Challenge))", text)
    return f"{m.group(1).strip()}: findings letter" if m else None


PUBLISHED = re.compile(r"(?:report )?published\s*:?", re.I)
MEETING = re.compile(r"^(?:date of meeting|meeting date|date)\s*:|held on|^agenda", re.I)


def detect_date(
    doc: Document, lines: list[Line], doc_type: str, use_file_name: bool = True
) -> tuple[str | None, str | None]:
    """The document's own date: publication for reports, meeting for committee papers,
    the letter's date for letters. Returns (ISO, as printed)."""
    cover = lines[:COVER_LINES]
    if doc_type in INSPECTION_TYPES:
        for line in cover:
            if PUBLISHED.search(line.text):
                found = find_dates(line.text)
                if found:
                    return found[-1][1], found[-1][0]
        if doc_type == "inspection_letter":
            dated = letter_date(lines)
            if dated:
                return dated
        from_name = date_from_file_name(doc.path) if use_file_name else None
        if from_name:
            return from_name, None
        # no publication date printed (ILACS reports print only the inspection dates): a
        # pack's covering papers may say it (see `publication_mention`), else the last day
        # of the inspection is the nearest printed date
        return (inspection_end(lines) if use_file_name else None), None
    for line in cover:
        if MEETING.search(line.text):
            found = find_dates(line.text)
            if found:
                return found[0][1], found[0][0]
    if doc_type in ("other", "scorecard"):
        return None, None
    on_cover = [found for line in cover for found in find_dates(line.text)]
    for printed, iso, precision in on_cover:
        if precision == "day":
            return iso, printed
    if on_cover:
        return on_cover[0][1], on_cover[0][0]
    return (date_from_file_name(doc.path) if use_file_name else None), None


def letter_date(lines: list[Line]) -> tuple[str, str] | None:
    """A letter's date: a line of its heading that is nothing but a date ("20 February 2019")."""
    for line in lines[:TITLE_LINES]:
        found = find_dates(line.text)
        if len(found) == 1 and found[0][2] == "day" and len(found[0][0]) >= len(line.text.strip(" ,.")) - 2:
            return found[0][1], found[0][0]
    return None


def publication_mention(text: str, after: str | None) -> tuple[str, str] | None:
    """A covering paper's word on when a report was published ("the final report will be
    published on 9th January 2020"): the first such date after `after` (ISO), if any."""
    for m in re.finditer(r"published[^.]{0,80}", text, re.I):
        for printed, iso, precision in find_dates(m.group(0)):
            if precision == "day" and (after is None or iso > after):
                return iso, printed
    return None


def inspection_end(lines: list[Line]) -> str | None:
    for line in lines[:COVER_LINES]:
        if re.match(r"^inspection dates?\b", line.text, re.I):
            found = find_dates(line.text)
            if found:
                return found[-1][1]
    return None


def date_from_file_name(path: str) -> str | None:
    """A date in the file name ("plymouth_2015-01-06.pdf"), as collections of reports name them."""
    m = re.search(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)", Path(path).name)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def detect_authority(doc: Document, lines: list[Line]) -> str | None:
    text = "\n".join(line.text for line in lines[:AUTHORITY_LINES])
    found = find_authority(text)
    if found:
        return found
    stem = Path(doc.path).stem
    return authority_from_name(stem.split("_")[0])


def classify_lines(
    doc: Document, lines: list[Line], doc_type: str | None = None, use_file_name: bool = True
) -> Classification:
    """Classify `lines` of `doc` (all of it, or one paper of a pack: then the file's name,
    which names the pack, says nothing of the paper's date)."""
    title = find_title(lines)
    doc_type = doc_type or detect_type(lines, title)
    if doc_type is None:
        raise DocumentError(
            doc.path,
            "cannot tell what kind of document this is (not an Ofsted report or letter, peer review, "
            "improvement plan, progress report, committee paper or scorecard): its first page should "
            "name what it is; if it is not one of these, move it out of the folder",
        )
    head = "\n".join(line.text for line in lines[:TITLE_LINES])
    inspection = doc_type in INSPECTION_TYPES
    framework = (title.framework if title else detect_framework(head)) if inspection else None
    date, date_text = detect_date(doc, lines, doc_type, use_file_name)
    theme, deep_dive = inspection_theme(lines, title) if inspection and title else (None, None)
    provider = find_provider(title.text) if inspection and title else None
    return Classification(
        doc_type=doc_type,
        title=inspection_title(lines, title) if inspection and title else detect_title(lines, doc_type),
        authority=served_authority(
            provider, title.text if title else "", detect_authority(doc, lines), doc.path
        ),
        provider=provider.name if provider else None,
        date=date,
        date_text=date_text,
        framework=framework,
        theme=theme,
        deep_dive=deep_dive,
    )


def served_authority(provider: Provider | None, title: str, found: str | None, path: str) -> str | None:
    """The council a report is about: the one its provider serves (of several, the one the
    title, the text or the file name names), else the one found in the text."""
    if provider is None or not provider.authorities:
        return found
    if len(provider.authorities) == 1:
        return provider.authorities[0]
    named = (find_authority(title), found, authority_from_name(Path(path).stem.split("_")[0]))
    return next((a for a in named if a in provider.authorities), found)


def inspection_title(lines: list[Line], title: Title) -> str | None:
    """A report's title block: the council's name may stand on a line above the title
    (ILACS 2018-20, SIF), so a title at the top of the cover is read as its whole block;
    a letter's title, below its addressees, is its own lines."""
    if title.framework in ("ILACS", "SIF", "pre-SIF") and title.start <= 2:
        block = detect_title(lines, "inspection_report")
        return without_footnote_marks(block) if block else title.text
    return title.text


def classify(doc: Document) -> Classification:
    """Classify a whole document; raises DocumentError when it is of no known kind."""
    return classify_lines(doc, doc.lines)
