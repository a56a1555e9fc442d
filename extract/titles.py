"""An inspection's title line: which framework and kind of document it names, the lines it
wraps onto, and (for a joint targeted area inspection) the theme and deep dive it states.

A title opens a line on the first pages ("Joint targeted area inspection of ...", "Inspection
of children's social care services"); narrative naming an inspection mid-sentence does not
count. `extract.classify` reads a document's cover with these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import find_dates
from .document import Line
from .providers import TRUST_NAME, all_providers

# An inspection names itself in a title line, which a letter prints below its date and a
# dozen addressees: the title is looked for on the first two pages.
TITLE_PAGES = 2
# A title wraps over a few lines.
MAX_TITLE_LINES = 4


FRAMEWORK_SIGNS = (
    ("JTAI", r"joint targeted area inspection"),
    ("focused visit", r"focused visit"),
    ("monitoring visit", r"monitoring visit"),
    (
        "ILACS",
        r"inspection of children.s social care services|local authority children.s services"
        r"|inspection of local authority children.s services",
    ),
    ("SIF", r"inspection of services for children in need of help and\s+protection"),
    (
        "pre-SIF",
        r"inspection of (?:safeguarding and )?looked after children services"
        r"|inspection of (?:local authority )?arrangements for the protection of children"
        r"|inspection of safeguarding",
    ),
)


# Titles wrap anywhere: a space in a sign matches any run of white space.
FRAMEWORK_PATTERNS = tuple(
    (name, re.compile(pattern.replace(" ", r"\s+"), re.I)) for name, pattern in FRAMEWORK_SIGNS
)


# The bodies that run councils' children's services, as a title names them (any quote mark).
PROVIDER_NAMES = "|".join(
    [
        *(
            re.escape(name).replace("'", "['’‘]").replace(r"\ ", " ")
            for provider in all_providers()
            for name in (provider.name, *provider.aliases)
            if len(name) > 4
        ),
        TRUST_NAME.pattern,
    ]
)

# How each kind of inspection document opens its title, as a line start. Reports, letters
# and area reviews of every year print one; it is the strongest sign of what a document is,
# wherever on its first pages it stands.
TITLE_SIGNS: tuple[tuple[str, str, str], ...] = (
    ("JTAI", "inspection_letter", r"joint targeted area inspection (?:of|in)\b"),
    (
        "SEND",
        "inspection_report",
        r"(?:area send inspection|joint local area send inspection|"
        r"local area send inspection) (?:of|in)\b",
    ),
    ("focused visit", "inspection_letter", r"focused visit (?:to|of|on)\b"),
    ("monitoring visit", "inspection_letter", r"monitoring visit (?:to|of|on)\b"),
    (
        "JAR",
        "inspection_report",
        r"joint area review\b|inspection of progress made in the provision of "
        r"safeguarding services\b",
    ),
    (
        "SIF",
        "inspection_report",
        r"(?:re-?)?inspection of services for children in need of help and protection"
        r"|review of the effectiveness of the local safeguarding children board\b",
    ),
    (
        "pre-SIF",
        "inspection_report",
        r"inspection of (?:safeguarding and )?looked after children services"
        r"|inspection of (?:local authority )?arrangements for the protection of children"
        r"|inspection of safeguarding\b",
    ),
    (
        "ILACS",
        "inspection_report",
        r"inspection of (?:[^.]{0,120}? )?children[’'‘]s (?:social care )?services",
    ),
    # a council's services run by a trust or company: the report is titled after the body
    ("ILACS", "inspection_report", r"inspection of (?:the )?(?:" + PROVIDER_NAMES + ")"),
)
TITLE_PATTERNS = tuple(
    (framework, doc_type, re.compile(r"^(?:ofsted\s+)?(?:" + pattern.replace(" ", r"\s+") + ")", re.I))
    for framework, doc_type, pattern in TITLE_SIGNS
)


@dataclass(frozen=True)
class Title:
    framework: str
    doc_type: str
    start: int  # index of its first line in the lines classified
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return without_footnote_marks(" ".join(line.text.strip() for line in self.lines))


def without_footnote_marks(text: str) -> str:
    """ "... Children Board1" as printed is "... Children Board" and a footnote."""
    return re.sub(r"(?<=[a-z\)])\d{1,2}(?=$|[\s,.;:])", "", text).strip(" *")


def find_title(lines: list[Line]) -> Title | None:
    """The first line on the first pages that opens an inspection's title, with its wrapped
    lines: a line starts it, so narrative naming an inspection mid-sentence does not."""
    first_page = lines[0].page if lines else 1
    head = [line for line in lines if line.page < first_page + TITLE_PAGES]
    for i, line in enumerate(head):
        text = line.text.strip()
        if not text[:1].isalpha():
            continue
        window = " ".join(ln.text.strip() for ln in head[i : i + MAX_TITLE_LINES])
        for framework, doc_type, pattern in TITLE_PATTERNS:
            if pattern.match(window):
                return Title(framework, doc_type, i, tuple(title_lines(head, i)))
    return None


TITLE_STOP = re.compile(
    r"^(?:between|this|these|from|on|we|inspection dates?|lead inspector|judgement|ofsted|age group|published|"
    r"the|in|dear|local authority|date)\b",
    re.I,
)


def title_lines(lines: list[Line], start: int) -> list[Line]:
    """The title's line and the lines it wraps onto: close below it, in its column, not a
    date, field or sentence of its own."""
    out = [lines[start]]
    for line in lines[start + 1 : start + MAX_TITLE_LINES]:
        prev = out[-1]
        text = line.text.strip()
        if line.page != prev.page or not text or find_dates(text) or ":" in text[:30]:
            break
        if prev.text.rstrip().endswith(".") or (TITLE_STOP.match(text) and not text[:1].islower()):
            break
        if line.bbox and prev.bbox:
            height = prev.bbox[3] - prev.bbox[1]
            first = out[0].bbox or prev.bbox
            left_aligned = abs(line.bbox[0] - first[0]) <= 12
            centred = abs((line.bbox[0] + line.bbox[2]) - (first[0] + first[2])) / 2 <= 12
            if line.bbox[1] - prev.bbox[3] > 0.8 * height or not (left_aligned or centred):
                break
        out.append(line)
    return out


def detect_framework(cover: str) -> str | None:
    """The framework named first: a title names its own before any narrative names another
    ("Since the SIF inspection in 2015, and the focused visit in 2018...")."""
    found = []
    for order, (framework, pattern) in enumerate(FRAMEWORK_PATTERNS):
        m = pattern.search(cover)
        if m:
            found.append((m.start(), order, framework))
    return min(found)[2] if found else None


THEME = re.compile(r"\b(?P<theme>the multi-agency \w.+?)(?:\s+in\s+(?:the\s+)?[A-Z][^.]*)?(?:\.|$)")
DEEP_DIVE = re.compile(r"deep dive['’‘]?\s+(?:focus\s+)?(?:on|into)\s+(?P<what>[^.]+?)\.", re.I)
THEME_LINES = 40


def inspection_theme(lines: list[Line], title: Title) -> tuple[str | None, str | None]:
    """A joint targeted area inspection's subject ("the multi-agency response to abuse and
    neglect") and the deep dive it names: in the title, else in the opening paragraph."""
    if title.framework != "JTAI":
        return None, None
    opening = " ".join(line.text.strip() for line in lines[title.start : title.start + THEME_LINES])
    opening = re.sub(r"(?<=[a-z])\d{1,2}(?=\s)", "", opening)
    m = THEME.search(title.text) or THEME.search(opening)
    dive = DEEP_DIVE.search(opening)
    return (m.group("theme").strip() if m else None), (dive.group("what").strip() if dive else None)
