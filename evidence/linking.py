"""Runs the linker over what the store holds and writes its links back."""

from __future__ import annotations

from link.linker import link_report

from .store import Store

LINKED_TABLES = ("recommendations", "actions", "area_links", "findings")


def link_store(store: Store) -> list[str]:
    """Link everything stored; returns the disagreements the linker reports (a number whose
    text disagrees, a text that agrees with another number), one line each."""
    documents = store.rows("documents")
    tables = {name: store.rows(name) for name in LINKED_TABLES}
    report = link_report(documents, tables)
    # Suggestions (candidates just below the linker's threshold, method 'suggested') are
    # stored beside the links so that `evidence review` lists them and the journeys show a
    # possible recurrence; they never make a recommendation `recurred` unless confirmed.
    store.replace_links(link.to_row() for link in [*report.links, *report.suggestions])
    return list(report.disagreements)
