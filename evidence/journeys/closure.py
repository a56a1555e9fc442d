"""Where a recommendation stands, read from its journey: the events (links in date order)
that answer, restate, claim or repeat it.

States: `open` (nothing answers it), `planned` (answered, no action past its date),
`overdue` (an action's target date has passed with no claim that it is met), `monitoring`,
`reported met`, `recurred` (a later inspection repeats it: a link the linker asserts, or a
candidate a person said yes to), `possible recurrence` (a later inspection may repeat it: a
candidate nobody has settled yet, to settle on /review or with `evidence review`), `closed`
(reported met, a later inspection since, and every candidate repeat of it settled no, or there
was none).

Each state says who decided it (`decided_by`): "person" when it rests on a person's verdict (a
yes that makes it recurred; every candidate settled no for closed), "tool" when it rests on the
linker alone (an asserted repeat; no candidate at all, so nobody was asked), None when nothing
is decided yet. `reviewed` is true when a person settled every candidate repeat of it (and
there was at least one): the pages and the tracker say "reviewed by a person" or "not yet
reviewed".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from extract.vocab import RECURS_IN, STATUSES
from link.model import SUGGESTED, Row


@dataclass(frozen=True)
class Event:
    """One event of a journey: an item linked to the recommendation, with its document and
    the link (a claim a stand-in makes itself is an event too, relation `claims`)."""

    date: str | None
    document: str
    document_id: str
    doc_type: str
    path: str
    page: int | None
    table: str
    id: str
    kind: str | None
    label: str | None
    position: int | None
    text: str | None
    status: str | None
    status_text: str | None
    target_date: str | None
    target_date_text: str | None
    lead: str | None
    relation: str
    method: str
    score: float
    evidence: str
    confirmed: int | None
    verdict: str | None = None  # a person's word: yes, partly or no
    key: str | None = None  # the link's key, for `evidence review` (None: a claim of its own)

    def to_row(self) -> Row:
        return asdict(self)


STATES = (
    "open",
    "planned",
    "overdue",
    "monitoring",
    "reported met",
    "possible recurrence",
    "recurred",
    "closed",
)
# Who decided a state, in the words the pages and the tracker use.
PERSON, TOOL = "person", "tool"
REVIEWED, PARTLY_REVIEWED, NOT_REVIEWED = (
    "reviewed by a person",
    "partly reviewed by a person",
    "not yet reviewed",
)


@dataclass(frozen=True)
class Closure:
    """Where a recommendation stands as of a date, and what that rests on."""

    state: str
    latest_claim: str | None
    latest_claim_date: str | None
    recurred_on: str | None
    possible_recurrence_on: str | None
    reported_met_then_recurred: bool
    actions: int
    latest_target_date: str | None
    # "month" when the latest target date names only its month (shown as the month, due by its end)
    latest_target_date_precision: str | None = None
    decided_by: str | None = None  # "person" (a verdict), "tool" (the linker alone) or None
    reviewed: bool = False  # a person settled every candidate repeat of it (and there was one)
    to_settle: int = 0  # candidate repeats of it nobody has settled
    in_part: bool = False  # recurred only on a person's "partly": a later inspection repeats part of it


def closure(
    events: list[Event], as_of: str, inspections: list[str], rejected: Sequence[Event] = ()
) -> Closure:
    """The closure state as of a date, what it rests on and who decided it: `events` oldest first,
    `inspections` the dates of its authority's later inspections, `rejected` the links rejected."""
    seen = steps(events, as_of)
    claims = [e for e in seen if e.status]
    latest = latest_claim(claims)
    actions = [e for e in seen if e.table == "actions"]
    recurred = [e for e in seen if e.relation == RECURS_IN and confident(e)]
    possible = [e for e in seen if e.relation == RECURS_IN and not confident(e)]
    met_before = bool(recurred) and any(
        c.status == "met" and (c.date or "") <= (recurred[0].date or "") for c in claims
    )
    if recurred:
        state = "recurred"
    elif possible:
        state = "possible recurrence"
    else:
        state = progress_state(latest, actions, inspections, as_of, bool(seen))
    return Closure(
        state=state,
        latest_claim=latest.status if latest else None,
        latest_claim_date=latest.date if latest else None,
        recurred_on=recurred[0].date if recurred else None,
        possible_recurrence_on=possible[0].date if possible and not recurred else None,
        reported_met_then_recurred=met_before,
        actions=len(actions),
        latest_target_date=max((a.target_date for a in actions if a.target_date), default=None),
        latest_target_date_precision=target_precision(actions),
        **who_decided(state, recurred, possible, steps(list(rejected), as_of)),
    )


def progress_state(
    latest: Event | None, actions: list[Event], inspections: list[str], as_of: str, answered: bool
) -> str:
    """The state of a recommendation no later inspection repeats: from its latest claim, its
    actions' dates, and whether anything answers it at all."""
    if latest and latest.status == "met":
        later = [d for d in inspections if (latest.date or "") < d <= as_of]
        return "closed" if later else "reported met"
    if latest and latest.status == "monitoring":
        return "monitoring"
    if any(due_by(a.target_date, a.target_date_text) < as_of for a in actions if a.target_date):
        return "overdue"
    return "planned" if answered else "open"


def steps(events: list[Event], as_of: str) -> list[Event]:
    """The events up to a date that are steps of the journey: a suggestion of another relation
    than a repeat (a progress statement that may report on it) is a lead for a person until
    confirmed."""
    seen = [e for e in events if not e.date or e.date <= as_of]
    return [e for e in seen if e.relation == RECURS_IN or e.method != SUGGESTED or e.confirmed == 1]


def confident(event: Event) -> bool:
    """A repeat a person said yes to (whatever the word they gave with it), or one the linker
    asserts: only a pair the model is sure of is stored as a link (link/candidates.py), the
    rest are suggestions."""
    return event.confirmed == 1 or event.method != SUGGESTED


def who_decided(
    state: str, recurred: list[Event], possible: list[Event], rejected: list[Event]
) -> dict[str, Any]:
    """`decided_by` ("person", "tool" or None), `reviewed` (a person settled every candidate
    repeat, and there was one) and `to_settle` (candidate repeats nobody has settled)."""
    settled_no = [e for e in rejected if e.relation == RECURS_IN]
    by_person = [e for e in recurred if e.confirmed == 1 or e.method == "manual"]
    unsettled = [e for e in [*recurred, *possible] if e.confirmed is None and e.method != "manual"]
    reviewed = bool(by_person or settled_no) and not unsettled
    decided_by: str | None = None
    if state == "recurred":
        decided_by = PERSON if by_person else TOOL
    elif state == "closed":
        decided_by = PERSON if settled_no else TOOL
    in_part = state == "recurred" and all(e.verdict == "partly" for e in recurred)
    return {"decided_by": decided_by, "reviewed": reviewed, "to_settle": len(unsettled), "in_part": in_part}


def decider_words(decided_by: str | None) -> str | None:
    """Who decided a state, as the pages and the tracker say it."""
    return {PERSON: "a person", TOOL: "the linker"}.get(decided_by or "")


def review_words(reviewed: object, decided_by: str | None = None) -> str:
    """What the pages and the tracker say of a journey's review: a state a person decided
    while other candidate repeats are unsettled is partly reviewed, not "not yet reviewed"."""
    if reviewed:
        return REVIEWED
    return PARTLY_REVIEWED if decided_by == PERSON else NOT_REVIEWED


def target_precision(actions: list[Event]) -> str | None:
    """Whether the latest target date names its day ("day") or only its month ("month": shown
    as "April 2015", and due by its last day)."""
    dated = [a for a in actions if a.target_date]
    if not dated:
        return None
    latest = max(dated, key=lambda a: str(a.target_date))
    return (
        "month" if due_by(str(latest.target_date), latest.target_date_text) != latest.target_date else "day"
    )


def due_by(target_date: str, target_date_text: str | None) -> str:
    """The last day an action is due: "January 2015" (stored as 2015-01-01) runs to the 31st."""
    due = str(target_date)
    if due.endswith("-01") and not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", target_date_text or ""):
        year, month = int(due[:4]), int(due[5:7])
        return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).isoformat()
    return due


def latest_claim(claims: list[Event]) -> Event | None:
    """The newest claim; of several in one document, the one restating the whole
    recommendation (not a bullet moved under another), and of those the least advanced."""
    if not claims:
        return None
    newest = [c for c in claims if c.date == claims[-1].date]
    whole = [c for c in newest if c.method != "similarity"] or newest
    return min(whole, key=lambda c: STATUSES.index(c.status) if c.status in STATUSES else len(STATUSES))


def slips(events: list[Event]) -> list[Row]:
    """Actions whose target date a later plan or report moves."""
    by_label: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.table == "actions" and e.label and e.target_date:
            by_label[e.label].append(e)
    found = []
    for label, versions in sorted(by_label.items()):
        for before, after in zip(versions, versions[1:], strict=False):
            if before.target_date != after.target_date and before.document_id != after.document_id:
                found.append(
                    {
                        "action": label,
                        "from": before.target_date,
                        "to": after.target_date,
                        "moved_by": after.document,
                        "moved_on": after.date,
                        "later": (after.target_date or "") > (before.target_date or ""),
                    }
                )
    return found
