"""Where a recommendation stands, read from its journey: the events (links in date order)
that answer, restate, claim or repeat it.

States: `open` (nothing answers it), `planned` (answered, no action past its date),
`overdue` (an action's target date has passed with no claim that it is met), `monitoring`,
`reported met`, `recurred` (a later inspection repeats it: a link the model is confident in,
or one a person confirmed), `possible recurrence` (a later inspection may repeat it: a weaker
link or a suggestion, to settle with `evidence review`), `closed` (reported met, and nothing at
the next inspection is linked to it, not even a suggestion: the linker misses some repeats a
reader draws, so `closed` says no repeat was found, not that none is there).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

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
# A later inspection's repeat counts as a recurrence when a person confirmed it, or when the
# model gives it at least this probability that a careful reader accepts it (on the
# hand-drawn recurrences, measured leave-one-authority-out, about four in five of such links
# are right); a weaker link, or a suggestion below the linker's threshold, makes the
# recommendation a possible recurrence, to review.
CONFIDENT = 0.7


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


def closure(events: list[Event], as_of: str, inspections: list[str]) -> Closure:
    """The closure state as of a date, with what it rests on. `events` are the journey's,
    oldest first; `inspections` the dates of the authority's later inspection reports."""
    seen = [e for e in events if not e.date or e.date <= as_of]
    claims = [e for e in seen if e.status]
    latest = latest_claim(claims)
    actions = [e for e in seen if e.table == "actions"]
    repeats = [e for e in seen if e.relation == RECURS_IN]
    recurred = [e for e in repeats if confident(e)]
    possible = [e for e in repeats if not confident(e)]
    met_before = bool(recurred) and any(
        c.status == "met" and (c.date or "") <= (recurred[0].date or "") for c in claims
    )
    if recurred:
        state = "recurred"
    elif possible:
        state = "possible recurrence"
    elif latest and latest.status == "met":
        later = [d for d in inspections if (latest.date or "") < d <= as_of]
        state = "closed" if later else "reported met"
    elif latest and latest.status == "monitoring":
        state = "monitoring"
    elif any(due_by(a.target_date, a.target_date_text) < as_of for a in actions if a.target_date):
        state = "overdue"
    elif seen:
        state = "planned"
    else:
        state = "open"
    return Closure(
        state=state,
        latest_claim=latest.status if latest else None,
        latest_claim_date=latest.date if latest else None,
        recurred_on=recurred[0].date if recurred else None,
        possible_recurrence_on=possible[0].date if possible and not recurred else None,
        reported_met_then_recurred=met_before,
        actions=len(actions),
        latest_target_date=max((a.target_date for a in actions if a.target_date), default=None),
    )


def confident(event: Event) -> bool:
    """A repeat a person confirmed, or one the model is confident in."""
    if event.confirmed == 1:
        return True
    return event.method != SUGGESTED and event.score >= CONFIDENT


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
