"""What a journey reads: the store's rows as `Item`s, its links as `StoredLink`s, gathered once
in `Journeys`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extract.records import from_row
from extract.vocab import RESTATES
from link.inspections import ORIGINAL_KINDS, Doc, rows_to_docs
from link.model import Link

from ..store import Store

# Rows of a later document that stand in for a recommendation whose inspection is not stored.
STAND_IN_KINDS = ("key_finding", "restatement")
# The tables whose rows a journey shows: what restates, answers or repeats a recommendation,
# and the progress statements that report on it (findings, `reports_status_of`).
JOURNEY_TABLES = ("recommendations", "actions", "area_links", "findings")


@dataclass(frozen=True)
class Item:
    """A stored row a journey shows: a recommendation, an action or an "Area | Link" row,
    with the columns the journeys read (those a table lacks are None)."""

    table: str
    id: str
    document_id: str
    page: int | None = None
    kind: str | None = None
    label: str | None = None
    position: int | None = None
    body: str | None = None
    text: str | None = None
    status: str | None = None
    status_text: str | None = None
    target_date: str | None = None
    target_date_text: str | None = None
    lead: str | None = None


@dataclass(frozen=True)
class StoredLink(Link):
    """A row of the store's `links`: the linker's `Link`, with a person's verdict (`confirmed`:
    1 or 0, and its word: yes, partly or no)."""

    confirmed: int | None = None
    verdict: str | None = None
    key: str | None = None  # what `evidence review` names it by


# The kind of a row whose table has none.
TABLE_KINDS = {"actions": "action", "area_links": "area"}


def item_of(table: str, row: dict[str, Any]) -> Item:
    """A row of `table` as a journey shows it: an action's kind is "action", an area row's
    "area", and an area row's text is its area."""
    kind = row.get("kind") or TABLE_KINDS.get(table)
    return from_row(Item, {**row, "table": table, "kind": kind, "text": row.get("text") or row.get("area")})


@dataclass
class Journeys:
    """Everything a journey needs, read from the store once."""

    docs: dict[str, Doc]
    recs: dict[str, Item]
    rows: dict[tuple[str, str], Item]
    incoming: dict[str, list[StoredLink]] = field(default_factory=lambda: defaultdict(list))
    rejected: dict[str, list[StoredLink]] = field(default_factory=lambda: defaultdict(list))
    copies: dict[str, str] = field(default_factory=dict)  # copy id -> kept id

    @classmethod
    def load(cls, db: str) -> Journeys:
        store = Store(db)
        try:
            return cls.read(store)
        finally:
            store.close()

    @classmethod
    def read(
        cls, store: Store, docs: dict[str, Doc] | None = None, within: list[str] | None = None
    ) -> Journeys:
        """Every journey of the store; or, given the store's `docs` and `within` (the document
        ids of whole authorities), the journeys of those documents' recommendations, with the
        rows of theirs and of others that link to them."""
        if docs is None:
            docs = rows_to_docs(store.rows("documents"))
        if within is None:
            rows = {(t, r["id"]): item_of(t, r) for t in JOURNEY_TABLES for r in store.rows(t)}
            links = store.rows("links", "target_table = 'recommendations'")
        else:
            rows = {
                (t, r["id"]): item_of(t, r)
                for t in JOURNEY_TABLES
                for r in store.rows_of_documents(t, within)
            }
            links = store.links_to_recommendations_of(within)
        recs = {ident: row for (table, ident), row in rows.items() if table == "recommendations"}
        if within is not None:
            # the rows of another authority a person linked to these (the linker never does):
            # events of these journeys, not journeys of their own here
            for table, row in store.rows_linked_from_elsewhere(within):
                rows[(table, row["id"])] = item_of(table, row)
        found = cls(docs, recs, rows)
        for row in links:
            link = from_row(StoredLink, row)
            if link.confirmed == 0:
                found.rejected[link.target_id].append(link)
                continue
            found.incoming[link.target_id].append(link)
            if found.is_copy_link(link):
                found.copies[link.source_id] = link.target_id
        return found

    def is_copy_link(self, link: StoredLink) -> bool:
        source, target = self.recs.get(link.source_id), self.recs.get(link.target_id)
        return (
            link.relation == RESTATES
            and link.source_table == "recommendations"
            and source is not None
            and target is not None
            and self.doc(source).is_inspection
            and self.doc(target).is_inspection
        )

    def doc(self, row: Item) -> Doc:
        return self.docs[row.document_id]

    def originals(self) -> list[Item]:
        """Inspection recommendations (one copy of each), and rows standing in for those of
        inspections that are not stored (restated, but answering nothing in the store)."""
        sources = {link.source_id for links in self.incoming.values() for link in links}
        found = []
        for row in self.recs.values():
            doc = self.doc(row)
            if row.id in self.copies:
                continue
            if doc.is_inspection and row.kind in ORIGINAL_KINDS or self.stands_in(row, doc, sources):
                found.append(row)
        return sorted(
            found, key=lambda r: (self.doc(r).authority or "", self.doc(r).date or "", r.position or 0)
        )

    def stands_in(self, row: Item, doc: Doc, sources: set[str]) -> bool:
        """Restated with a status or linked to, but answering nothing stored."""
        if doc.is_inspection or row.kind not in STAND_IN_KINDS or row.id in sources:
            return False
        return bool(row.status or self.incoming.get(row.id))

    def newest_date(self, authority: str | None) -> str | None:
        return self.newest_dates.get(authority)

    @cached_property
    def newest_dates(self) -> dict[str | None, str]:
        newest: dict[str | None, str] = {}
        for d in self.docs.values():
            if d.date and d.date > newest.get(d.authority, ""):
                newest[d.authority] = d.date
        return newest

    def later_inspections(self, original: Item) -> list[str]:
        """The dates of the later inspection reports of its authority that make
        recommendations (one copy of each): a visit that asks nothing judges nothing."""
        doc = self.doc(original)
        return [d for d in self.inspection_dates.get(doc.authority, []) if d > (doc.date or "")]

    @cached_property
    def inspection_dates(self) -> dict[str | None, list[str]]:
        asking = {r.document_id for r in self.recs.values() if r.kind in ORIGINAL_KINDS}
        dates: dict[str | None, set[str]] = defaultdict(set)
        for d in self.docs.values():
            if d.id in asking and d.is_inspection and d.date:
                dates[d.authority].add(d.date)
        return {authority: sorted(found) for authority, found in dates.items()}


# -- one journey ---------------------------------------------------------------------------
