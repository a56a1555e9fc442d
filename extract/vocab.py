"""The field's vocabulary, in one place: document types, inspection frameworks, kinds of
item, progress statuses, the bodies an item is addressed to, grades, link relations.

Every parser, the linker and the store read these names from here, so a word means one thing
everywhere: "has been met" is `met` to every parser, a Safeguarding Partnership is the same
body wherever it is named.
"""

from __future__ import annotations

import re
from typing import Any

DOC_TYPES = (
    "inspection_report",
    "inspection_letter",
    "peer_review_letter",
    "improvement_plan",
    "progress_report",
    "committee_report",
    "minutes",
    "scorecard",
    "committee_pack",
    "other",
)
FRAMEWORKS = ("ILACS", "SIF", "pre-SIF", "JTAI", "SEND", "focused visit", "monitoring visit", "JAR")
RECOMMENDATION_KINDS = (
    "recommendation",
    "area_for_consideration",
    "key_priority",
    "key_finding",
    "restatement",
    "plan_area",
    "committee_recommendation",
)
# The document types that are inspections (a report, or a letter after a focused or monitoring
# visit or a joint inspection).
INSPECTION_TYPES = ("inspection_report", "inspection_letter")
# What a link says of the later item and the earlier one.
RESTATES = "restates"
RESPONDS_TO = "responds_to"
REPORTS_STATUS_OF = "reports_status_of"
ADDRESSES = "addresses"
RECURS_IN = "recurs_in"
SAME_THEME = "same_theme"
RELATIONS = (RESTATES, RESPONDS_TO, REPORTS_STATUS_OF, ADDRESSES, RECURS_IN, SAME_THEME)

# ---- progress statuses ---------------------------------------------------------------------

# From least to most advanced: of two claims made at once, the first counts (evidence/journeys).
STATUSES = ("outstanding", "in progress", "monitoring", "met")

# Where a document says a recommendation stands. Phrases that settle it come first ("fully
# met", "partially met"); then single cues, most cautious first, so that "completed for use
# during 2019-20" is still in progress and "not yet completed" is not met.
STATUS_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("met", re.compile(r"\bfully (?:met|completed?|achieved)\b", re.I)),
    ("in progress", re.compile(r"\b(?:partially|partly|part) (?:met|completed?|achieved)\b", re.I)),
    (
        "outstanding",
        re.compile(
            r"\bnot (?:yet |been )?(?:started|met|completed?|achieved|addressed)\b|\boutstanding\b", re.I
        ),
    ),
    ("monitoring", re.compile(r"\bmonitor(?:ed|ing)? for sustained impact\b", re.I)),
    (
        "in progress",
        re.compile(
            r"\bin progress\b|\bongoing\b|\bunderway\b|\bon track\b|\bwill commence\b|"
            r"\bfor use (?:during|in)\b|\bpartially\b",
            re.I,
        ),
    ),
    ("monitoring", re.compile(r"\bmonitor(?:ed|ing)?\b", re.I)),
    (
        "met",
        re.compile(
            r"\bmet\b|\bcompleted?\b|\bcompletion of\b|\bachieved\b|\baddressed\b|\bis now\b|"
            r"\bnow (?:held|in place)\b|\bhas been (?:developed|created|implemented|established)\b",
            re.I,
        ),
    ),
)


def status_of(text: str) -> tuple[str, str] | None:
    """(status, the words that say so, as printed), or None when the text claims nothing."""
    for status, cue in STATUS_CUES:
        m = cue.search(text)
        if m:
            return status, m.group(0)
    return None


# ---- bodies --------------------------------------------------------------------------------

LOCAL_AUTHORITY = "local authority"
SAFEGUARDING_BOARD = "safeguarding board"
SAFEGUARDING_PARTNERSHIP = "safeguarding partnership"
AREA_PARTNERSHIP = "area partnership"
HEALTH = "health"
POLICE = "police"
BODIES = (LOCAL_AUTHORITY, SAFEGUARDING_BOARD, SAFEGUARDING_PARTNERSHIP, AREA_PARTNERSHIP, HEALTH, POLICE)

# The words of a body that is a partnership (a safeguarding board or partnership, an area
# partnership) rather than the council: whom an item asks, in two (`party`).
PARTNERSHIP_WORDS = ("board", "partnership", "lscb")


def party(body: str | None) -> str:
    """Who is asked: the safeguarding board or partnership, or the local authority."""
    text = (body or "").lower()
    return "partnership" if any(w in text for w in PARTNERSHIP_WORDS) else "council"


AREA_CUE = re.compile(r"\blocal area partnership\b|\barea (?:send )?partnership\b", re.I)
HEALTH_CUE = re.compile(r"\bNHS\b|\bintegrated care boards?\b|\bICBs?\b|\bclinical commissioning|\bCCGs?\b")
# Most specific first: a "local area partnership" is the SEND partnership, not the council.
BODY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (AREA_PARTNERSHIP, AREA_CUE),
    (
        SAFEGUARDING_PARTNERSHIP,
        re.compile(
            r"\bL?SCP\b|\bsafeguarding (?:children )?partnerships?\b|\bsafeguarding partners\b|"
            r"\bmulti-agency safeguarding arrangements\b",
            re.I,
        ),
    ),
    (SAFEGUARDING_BOARD, re.compile(r"\bL?SCB\b|\bsafeguarding (?:children(?:['’]s)? )?board\b", re.I)),
    (HEALTH, HEALTH_CUE),
    (POLICE, re.compile(r"\bpolice\b|\bconstabulary\b", re.I)),
)


def body_of(text: str, default: str | None = LOCAL_AUTHORITY) -> str | None:
    """To whom `text` (a heading, a lead-in, a responsible-body cell) addresses its items."""
    for body, cue in BODY_CUES:
        if cue.search(text):
            return body
    return default


# The agencies a joint inspection's item may single out, by sector: an item naming exactly one
# of them (its staff, services or systems) is addressed to it, any other to the partnership.
AGENCY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        LOCAL_AUTHORITY,
        re.compile(
            r"\bchildren['’]s social care\b|\bsocial work(?:ers?)?\b|\blocal authority\b|\bcouncil\b|"
            r"\bemergency duty team\b|\bhousing\b|\bchildren['’]s services\b",
            re.I,
        ),
    ),
    (POLICE, re.compile(r"\bpolice\b|\bconstabulary\b|\bcommunity safety hub\b", re.I)),
    (
        HEALTH,
        re.compile(
            r"\bNHS\b|\bCCGs?\b|\bICBs?\b|\bclinical commissioning|\bintegrated care board|\bhospitals?\b|"
            r"\bemergency departments?\b|\bCAMHS\b|\bschool nurs|\bGPs?\b|\bhealth (?:visitors?|practitioners|"
            r"professionals|services|providers|assessments|staff|trusts?)\b|\btrusts?\b|\bmidwi",
        ),
    ),
    ("National Probation Service", re.compile(r"\bNational Probation Service\b|\bNPS\b|\bprobation\b", re.I)),
    ("youth offending team", re.compile(r"\byouth offending\b|\bYOT\b|\byouth justice\b", re.I)),
)
# An item whose subject is the partnership, its board or its shared arrangements.
PARTNERSHIP_SUBJECT = re.compile(
    r"^(?:the |a |an )?(?:\w+\s){0,3}?(?:partnership|partners|L?SCB|L?SCP|multi-agency|agencies|MASH|"
    r"safeguarding (?:children )?(?:board|partnership|arrangements))\b",
    re.I,
)


def agency_addressed(text: str, default: str = SAFEGUARDING_PARTNERSHIP) -> str:
    """To whom a joint inspection's item is addressed: the one agency its first sentence (else
    the whole item) singles out; the partnership when the item is about the partnership
    itself, or names no agency or several."""
    first = re.split(r"(?<=[.;])\s+(?=[A-Z])", text, maxsplit=1)[0]
    if PARTNERSHIP_SUBJECT.match(first):
        return default
    for span in (first, text):
        named = {agency for agency, cue in AGENCY_CUES if cue.search(span)}
        if len(named) == 1:
            return named.pop()
        if named:
            return default
    return default


def responsible_body(printed: str) -> str:
    """A SEND table's "responsible body" cell as one of BODIES: a council and a health body
    together are the area partnership."""
    council = re.search(r"\bcouncil\b|\blocal authority\b", printed, re.I)
    health = HEALTH_CUE.search(printed)
    if (
        (council and health)
        or BODY_CUES[0][1].search(printed)
        or re.search(r"\bpartnership\b", printed, re.I)
    ):
        return AREA_PARTNERSHIP
    if health:
        return HEALTH
    return LOCAL_AUTHORITY if council else AREA_PARTNERSHIP


# ---- grades --------------------------------------------------------------------------------

GRADES = (
    "Outstanding",
    "Good",
    "Requires improvement to be good",
    "Requires improvement",
    "Adequate",
    "Inadequate",
)
# Area SEND inspections (2023 framework) give one of three outcomes instead of a grade.
SEND_OUTCOMES = (
    "Positive experiences and outcomes",
    "Inconsistent experiences and outcomes",
    "Significant concerns",
)
# How the outcome sentence words each band ("... arrangements typically lead to positive
# experiences and outcomes ..."; "... lead to inconsistent experiences ..."; "There are
# widespread and/or systemic failings leading to significant concerns ...").
SEND_OUTCOME_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (SEND_OUTCOMES[0], re.compile(r"\btypically lead to positive experiences and outcomes\b", re.I)),
    (SEND_OUTCOMES[1], re.compile(r"\blead to inconsistent experiences and outcomes\b", re.I)),
    (SEND_OUTCOMES[2], re.compile(r"\bsignificant concerns\b", re.I)),
)
GRADE_BY_NUMBER = {"1": "Outstanding", "2": "Good", "3": "Adequate", "4": "Inadequate"}
GRADE_NUMBER = re.compile(r"^grade\s+(?P<n>[1-4])\b(?:\s*\((?P<word>[\w ]+)\))?\.?$", re.I)
# A grade inside a sentence, longest first: "requires improvement to be good" is not read as
# "requires improvement".
GRADE_GROUP = "(?P<grade>" + "|".join(re.escape(g) for g in sorted(GRADES, key=len, reverse=True)) + ")"
GRADE_IN_TEXT = re.compile(rf"\b{GRADE_GROUP}\b", re.I)


def normalise_grade(text: str) -> str | None:
    """One of GRADES for a grade cell as printed ("require improvement to be good", "Grade 3")."""
    words = " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())
    number = GRADE_NUMBER.match(text.strip())
    if number and not number.group("word"):
        return GRADE_BY_NUMBER[number.group("n")]
    if "improvement" in words or words in ("requires", "require"):
        return "Requires improvement to be good" if "to be good" in words else "Requires improvement"
    for grade in ("outstanding", "inadequate", "adequate", "good"):
        if re.search(rf"\b{grade}\b", words):
            return grade.capitalize()
    return None


def grade_in(text: str) -> str | None:
    """The first grade named in a sentence, as one of GRADES."""
    m = GRADE_IN_TEXT.search(text)
    return normalise_grade(m.group("grade")) if m else None


def send_outcome(text: str) -> str | None:
    """The SEND outcome band an outcome sentence states, or None."""
    return next((band for band, cue in SEND_OUTCOME_CUES if cue.search(text)), None)


# ---- texts ---------------------------------------------------------------------------------

# One kind of quote and of dash: exports and PDFs print the same word with either.
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold(text: Any) -> str:
    """Text compared as a reader would: lower case, one kind of quote and dash, single spaces."""
    return " ".join(str(text or "").translate(QUOTES).lower().split())


def shorten(text: str | None, most: int) -> str:
    """`text` on one line, cut with an ellipsis to at most `most` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
