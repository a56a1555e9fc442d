"""Journeys of recommendations: from the inspection that made one to where it stands now.

The journey of an original recommendation is every link whose target it is (the linker
points links from the later item to the earlier), read in date order: restatements and
their claimed status, plan areas and actions, cross-references, later inspections that
repeat it. A link a person rejected counts for nothing (it is kept apart, to be shown struck
through); a copy of a report stored twice counts once.

This is the one place closure states are worked out: `refresh_journeys` writes them into the
store's `journeys` and `journey_events` tables, which the pages and saved queries read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from extract.errors import EvidenceError
from extract.vocab import shorten
from link.inspections import Doc, rows_to_docs
from link.model import Row

from ..store import Store
from .closure import Closure, Event, closure, slips
from .rows import Item, Journeys, StoredLink

# A report is often published weeks after the inspection: "Cheshire East 2019" may name the
# report published in the first months of 2020.
PUBLISHED_BY_MONTH = 3
SHORT_TEXT = 70
# Journeys are worked out a batch of whole authorities at a time, a batch closing once it
# holds this many documents: few enough that memory does not grow with the store, enough
# that reading them is a few queries, not a few for every authority.
JOURNEY_BATCH_DOCUMENTS = 100


def events_of(found: Journeys, original: Item) -> list[Event]:
    """What happened to a recommendation, oldest first: one event per linked item."""
    events = linked_events(found, original, found.incoming)
    if not found.doc(original).is_inspection and original.status:
        events.append(own_claim(original, found.doc(original)))
    return sorted(events, key=event_order)


def rejected_of(found: Journeys, original: Item) -> list[Event]:
    """The links to it a person rejected, as events that count for nothing, oldest first."""
    return sorted(linked_events(found, original, found.rejected), key=event_order)


def linked_events(found: Journeys, original: Item, incoming: dict[str, list[StoredLink]]) -> list[Event]:
    """One event per link to the recommendation or to a copy of it (a copy's own links are
    the original's), leaving out links from copies and from rows no longer stored."""
    ids = [original.id, *[c for c, kept in found.copies.items() if kept == original.id]]
    events = []
    for link in (link for ident in ids for link in incoming.get(ident, [])):
        row = found.rows.get((link.source_table, link.source_id))
        if row is not None and link.source_id not in found.copies:
            events.append(event(link, row, found.docs[row.document_id]))
    return events


def event_order(e: Event) -> tuple[str, str, int, list[int], str]:
    """By date; within a document, what answers the recommendation before its actions."""
    rank = {"recommendations": 0, "area_links": 1, "actions": 2}.get(e.table, 3)
    numbers = [int(n) for n in re.findall(r"\d+", e.label or "")]
    return (e.date or "", e.document_id, rank, numbers, e.id)


def own_claim(row: Item, doc: Doc) -> Event:
    """A stand-in's own status is a claim too, made in the document that restates it."""
    link = StoredLink(
        "recommendations",
        row.id,
        "recommendations",
        row.id,
        "claims",
        "as printed",
        1.0,
        "the status this document gives the recommendation it restates",
    )
    return event(link, row, doc)


def event(link: StoredLink, row: Item, doc: Doc) -> Event:
    return Event(
        date=doc.date,
        document=doc.title or doc.path,
        document_id=doc.id,
        doc_type=doc.doc_type,
        path=doc.path,
        page=row.page,
        table=link.source_table,
        id=row.id,
        kind=row.kind,
        label=row.label,
        position=row.position,
        text=row.text,
        status=row.status,
        status_text=row.status_text,
        target_date=row.target_date,
        target_date_text=row.target_date_text,
        lead=row.lead,
        relation=link.relation,
        method=link.method,
        score=link.score,
        evidence=link.evidence,
        confirmed=link.confirmed,
        verdict=link.verdict,
        key=link.key,
    )


def describe(found: Journeys, row: Item) -> Row:
    doc = found.doc(row)
    return {
        "id": row.id,
        "authority": doc.authority,
        "inspection_date": doc.date if doc.is_inspection else None,
        "document": doc.title or doc.path,
        "doc_type": doc.doc_type,
        "framework": doc.framework,
        "page": row.page,
        "label": row.label,
        "position": row.position,
        "kind": row.kind,
        "body": row.body,
        "text": row.text,
        "stands_in": not doc.is_inspection,
    }


def checked_date(as_of: str | None, given_as: str = "--as-of {!r}") -> str | None:
    """An as-of date as given (`given_as` names where, for the message), as an ISO date."""
    if as_of is None:
        return None
    try:
        return date.fromisoformat(as_of.strip()).isoformat()
    except ValueError:
        raise EvidenceError(
            f"{given_as.format(as_of)} is not a date: give it as YYYY-MM-DD, e.g. 2017-03-31"
        ) from None


@dataclass(frozen=True)
class Journey:
    """An original recommendation (as `describe` gives it), its events in date order (a
    rejected link's apart) and where it stands as of a date."""

    recommendation: Row
    as_of: str
    closure: Closure
    slips: list[Row]
    events: list[Row]
    rejected: list[Row]

    @property
    def state(self) -> str:
        return self.closure.state

    def to_row(self) -> Row:
        """As `evidence trace --json` prints it."""
        return {
            "recommendation": self.recommendation,
            "as_of": self.as_of,
            **asdict(self.closure),
            "slips": self.slips,
            "events": self.events,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class StatusRow:
    """Where one original recommendation stands: a row of `evidence status` and of the
    store's `journeys` table."""

    id: str
    authority: str | None
    inspection_date: str | None
    label: str
    kind: str | None
    body: str | None
    text: str | None
    short_text: str
    page: int | None
    actions: int
    latest_target_date: str | None
    latest_claim: str | None
    latest_claim_date: str | None
    recurred_on: str | None
    links: int
    stands_in: bool
    as_of: str
    state: str
    decided_by: str | None  # who decided the state: "person", "tool" or None
    reviewed: bool  # a person settled every candidate repeat of it
    to_settle: int  # candidate repeats of it nobody has settled
    target_date_slips: int
    reported_met_then_recurred: bool
    document_id: str
    position: int | None
    # "month" when the latest target date names only its month ("April 2015")
    latest_target_date_precision: str | None = None
    in_part: bool = False  # recurred only on a person's "partly"

    def to_row(self) -> Row:
        return asdict(self)


def journey_of(found: Journeys, original: Item, as_of: str | None = None) -> Journey:
    events = events_of(found, original)
    rejected = rejected_of(found, original)
    # As of today unless asked: an action due last year is overdue now, whatever the newest paper says.
    when = as_of or date.today().isoformat()
    return Journey(
        recommendation=describe(found, original),
        as_of=when,
        closure=closure(events, when, found.later_inspections(original), rejected),
        slips=slips(events),
        events=[e.to_row() for e in events],
        rejected=[e.to_row() for e in rejected],
    )


def status_row(found: Journeys, original: Item, one: Journey) -> StatusRow:
    """Where one original recommendation stands; `one` is its journey."""
    doc, c = found.doc(original), one.closure
    return StatusRow(
        id=original.id,
        authority=doc.authority,
        inspection_date=doc.date if doc.is_inspection else None,
        label=original.label or f"#{original.position}",
        kind=original.kind,
        body=original.body,
        text=original.text,
        short_text=shorten(original.text or "", SHORT_TEXT),
        page=original.page,
        actions=c.actions,
        latest_target_date=c.latest_target_date,
        latest_claim=c.latest_claim,
        latest_claim_date=c.latest_claim_date,
        recurred_on=c.recurred_on,
        links=sum(e["relation"] != "claims" for e in one.events),
        stands_in=not doc.is_inspection,
        as_of=one.as_of,
        state=c.state,
        decided_by=c.decided_by,
        reviewed=c.reviewed,
        to_settle=c.to_settle,
        target_date_slips=len(one.slips),
        reported_met_then_recurred=c.reported_met_then_recurred,
        document_id=doc.id,
        position=original.position,
        latest_target_date_precision=c.latest_target_date_precision,
        in_part=c.in_part,
    )


# -- the CLI's entry points ----------------------------------------------------------------


def status_rows(db: str, authority: str | None = None, as_of: str | None = None) -> list[StatusRow]:
    """One row per original recommendation: where it stands."""
    as_of = checked_date(as_of)
    found = Journeys.load(db)
    rows = [
        status_row(found, original, journey_of(found, original, as_of))
        for original in found.originals()
        if not authority or (found.doc(original).authority or "").lower() == authority.lower()
    ]
    if authority and not rows:
        raise EvidenceError(f"no recommendations of '{authority}' in {db}: {known_authorities(found)}")
    return rows


def refresh_journeys(store: Store) -> int:
    """Work out every journey as of today (the day of the build or review) and store the
    states and events, for the pages and saved queries to read. Returns how many journeys.
    An authority's journeys depend on its documents alone, so they are read and worked out a
    few authorities at a time (`JOURNEY_BATCH_DOCUMENTS`): memory holds a few authorities'
    rows, not the store's."""
    docs = rows_to_docs(store.rows("documents"))
    by_authority: dict[str, list[str]] = defaultdict(list)
    for ident, doc in docs.items():
        by_authority[doc.authority or ""].append(ident)
    # in the order `originals` gives: by authority first
    batches: list[list[str]] = [[]]
    for authority in sorted(by_authority):
        if len(batches[-1]) >= JOURNEY_BATCH_DOCUMENTS:
            batches.append([])
        batches[-1].extend(by_authority[authority])
    count = 0
    with store.transaction():
        store.clear_journeys()
        for within in batches:
            rows, events = journey_rows(store, docs, within)
            store.add_journeys(rows, events)
            count += len(rows)
    return count


def journey_rows(store: Store, docs: dict[str, Doc], within: list[str]) -> tuple[list[Row], list[Row]]:
    """The `journeys` rows and `journey_events` rows of the recommendations of the documents
    `within` (whole authorities: a journey depends on its authority's documents alone)."""
    found = Journeys.read(store, docs, within)
    rows: list[Row] = []
    events: list[Row] = []
    for original in found.originals():
        one = journey_of(found, original)
        rows.append(status_row(found, original, one).to_row())
        shown = sorted([*one.events, *one.rejected], key=row_order)
        events.extend(event_row(original.id, n, e) for n, e in enumerate(shown, 1))
    return rows, events


def event_row(original_id: str, seq: int, e: Row) -> Row:
    """An event as a row of `journey_events`; its item is named as links name theirs."""
    names = {"table": "source_table", "id": "source_id"}
    return {"original_id": original_id, "seq": seq} | {names.get(k, k): v for k, v in e.items()}


def journey(db: str, ref: str, as_of: str | None = None) -> Journey:
    as_of = checked_date(as_of)
    found = Journeys.load(db)
    return journey_of(found, resolve(found, ref), as_of)


def row_order(e: Row) -> tuple[str, str, int, list[int], str]:
    """`event_order` for an event already turned into a row."""
    return event_order(Event(**e))


def resolve(found: Journeys, ref: str) -> Item:
    """A recommendation id (an original, or any item linked to one), or "<authority> <year> <label>"."""
    ref = ref.strip()
    originals = found.originals()
    if ref in found.recs:
        return original_of(found, found.recs[ref], originals)
    match = re.fullmatch(r"(.+?)\s+(\d{4})\s+#?(\S+)", ref)
    if not match:
        raise EvidenceError(
            f'\'{ref}\' is neither a recommendation id nor "<authority> <year> <label>", e.g. "Cheshire East 2015 6"'
        )
    authority, year, label = match.group(1).lower(), match.group(2), match.group(3).lower()
    mine = [
        r
        for r in originals
        if (found.doc(r).authority or "").lower() == authority and found.doc(r).is_inspection
    ]
    if not mine:
        raise EvidenceError(f"no inspection of '{match.group(1)}' in the store: {known_authorities(found)}")
    dates = sorted({found.doc(r).date or "" for r in mine})
    year_dates = [d for d in dates if d.startswith(year)] or [
        d for d in dates if d.startswith(str(int(year) + 1)) and int(d[5:7] or 99) <= PUBLISHED_BY_MONTH
    ]
    hits = [r for r in mine if found.doc(r).date in year_dates and label_matches(r, label)]
    if len(hits) == 1:
        return hits[0]
    if not year_dates:
        raise EvidenceError(f"no {match.group(1)} inspection in {year}: inspections of {', '.join(dates)}")
    labels = ", ".join(r.label or f"#{r.position}" for r in mine if found.doc(r).date in year_dates)
    raise EvidenceError(f"{match.group(1)} {year} has no recommendation '{match.group(3)}' (it has {labels})")


def label_matches(row: Item, label: str) -> bool:
    if row.label:
        return row.label.lower() == label
    return str(row.position) == label


def original_of(found: Journeys, row: Item, originals: list[Item]) -> Item:
    ids = {r.id for r in originals}
    if row.id in ids:
        return row
    kept = found.copies.get(row.id)
    if kept:
        return found.recs[kept]
    for target, links in found.incoming.items():
        if target in ids and any(link.source_id == row.id for link in links):
            return found.recs[target]
    raise EvidenceError(f"{row.id} is not an inspection recommendation and answers none that is stored")


def known_authorities(found: Journeys) -> str:
    names = sorted({d.authority for d in found.docs.values() if d.authority and d.is_inspection})
    return "the store has " + (", ".join(names) if names else "no inspections")
