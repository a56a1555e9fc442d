"""The cells of an improvement plan's action table: target dates, milestones, delivery leads.

A target-date cell lists dates ("Dec 2014 - Jan 2015", "TBC") or says more than dates ("First
report June 2015 and then quarterly"); the milestones beside it pair with its dates in order.
A lead cell may name several leads, people and roles, told apart by the role and organisation
words of `data/lead_words.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..dates import find_dates
from ..items import strip_connector
from ..records import Milestone

TO_CONFIRM = re.compile(r"\b(?:tbc|tba|tbd|to be (?:confirmed|agreed|decided))\b", re.I)
# What may stand between the dates of a cell that only lists dates ("Dec 2014 - Jan 2015").
DATE_SEPARATORS = re.compile(r"^(?:[\s,;/&•\-–]|\band\b|\bthen\b)*$", re.I)
SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
# A person's name is two or three capitalised words without any of the organisation words.
PERSON_NAME = re.compile(r"^[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,2}$")
ACRONYM = re.compile(r"^[A-Z]{2,}s?$")
# Where a lead cell may be cut into leads, tried in this order.
LEAD_JOINERS = (" and ", " & ", "; ", ", ", " / ")


@dataclass(frozen=True)
class LeadWords:
    """The vocabulary of lead cells, lower-cased."""

    roles: frozenset[str]  # a role ends with one of these
    organisations: frozenset[str]  # a person's name has none of these

    @property
    def role_ends(self) -> frozenset[str]:
        """What a role may end in: a role word, or what it heads ("Head of Service")."""
        return self.roles | self.organisations


@cache
def lead_words() -> LeadWords:
    source = resources.files("extract") / "data" / "lead_words.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    return LeadWords(frozenset(data["role_words"]), frozenset(data["organisation_words"]))


# -- dates and milestones ------------------------------------------------------------------


def date_cell_to_dates(text: str) -> list[tuple[str, str | None]]:
    """The dates a target-date cell prints, each (as printed, ISO or None for "TBC").

    A cell that says more than dates ("First report June 2015 and then quarterly") is one
    date, the last it names."""
    found: list[tuple[int, int, str, str | None]] = []
    cursor = 0
    for printed, iso, _ in find_dates(text):
        at = text.find(printed, cursor)
        if at >= 0:
            found.append((at, at + len(printed), printed, iso))
            cursor = at + len(printed)
    found += [(m.start(), m.end(), m.group(0), None) for m in TO_CONFIRM.finditer(text)]
    found.sort()
    rest = text
    for start, end, _, _ in sorted(found, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    if found and DATE_SEPARATORS.match(rest):
        return [(printed, iso) for _, _, printed, iso in found]
    if not text.strip():
        return []
    dated = [iso for _, _, _, iso in found if iso]
    return [(text.strip(), dated[-1] if dated else None)]


def run_to_parts(text: str, count: int) -> list[str]:
    """A milestone printed as one run that carries `count` dates, cut where a sentence or
    a capitalised phrase starts ("Pledge agreed Pledge implemented ..."): only when the
    run has exactly that many parts."""
    parts = SENTENCE_BREAK.split(text)
    if len(parts) == count:
        return parts
    words = text.split(" ")
    cuts = [
        i
        for i in range(1, len(words))
        if words[i - 1][:1].islower() and words[i][:1].isupper() and words[i][1:].islower()
    ]
    if len(cuts) == count - 1:
        bounds = [0, *cuts, len(words)]
        return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [text]


def items_to_milestones(
    items: Sequence[str], dates: Sequence[tuple[str, str | None]]
) -> tuple[Milestone, ...]:
    """Milestones paired in order with the dates printed beside them."""
    texts = [strip_connector(item) for item in items if strip_connector(item)]
    if len(texts) == 1 and len(dates) > 1:
        texts = run_to_parts(texts[0], len(dates))
    return tuple(
        Milestone(text, *(dates[i] if i < len(dates) else (None, None))) for i, text in enumerate(texts)
    )


# -- leads ---------------------------------------------------------------------------------


def is_person(text: str) -> bool:
    organisations = lead_words().organisations
    return bool(PERSON_NAME.match(text)) and not any(w.lower() in organisations for w in text.split())


def is_role(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and any(w.lower().strip(",") in lead_words().roles for w in words)


def is_lead(text: str) -> bool:
    return is_person(text) or is_role(text)


def lead_to_names(text: str) -> list[str]:
    """The leads a cell names: "Joy Howick and Siobhan Wallace", "IHWB Programme Manager
    Alison Botham", "Chair of PSCB Partner Agency Leads". A cell that cannot be cut into
    people and roles is one lead."""
    for joiner in LEAD_JOINERS:
        if joiner in text:
            left, right = text.split(joiner, 1)
            rest = lead_to_names(right)
            if is_lead(left) and all(is_lead(part) for part in rest):
                return [left.strip(), *rest]
    return role_and_lead(text) or ([text] if text else [])


def role_and_lead(text: str) -> list[str] | None:
    """A role run on into a person or another role, unjoined: "IHWB Programme Manager Alison
    Botham"; None when no cut between words gives both."""
    words = text.split()
    for i in range(2, len(words) - 1):
        left, right = " ".join(words[:i]), " ".join(words[i:])
        last = words[i - 1]
        # a role ends in a role word, or in what it heads: "Chair of PSCB", "Head of Service"
        ends_role = last.lower() in lead_words().role_ends or ACRONYM.match(last)
        if (
            ends_role
            and is_role(left)
            and (is_person(right) or is_role(right) and right.split()[-1].lower() in lead_words().roles)
        ):
            return [left, right]
    return None
