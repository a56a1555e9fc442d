"""Runs the linker over what the store holds and writes its links back."""

from __future__ import annotations

from link.linker import link_report, texts_to_read
from link.text import normaliser, readings_of, remember

from .store import Store
from .workers import Pool

LINKED_TABLES = ("recommendations", "actions", "area_links", "findings")


def link_store(store: Store, pool: Pool | None = None) -> list[str]:
    """Link everything stored; returns the disagreements the linker reports (a number whose
    text disagrees, a text that agrees with another number), one line each. `pool`: the
    build's workers, which link the authority blocks in parallel on a large store."""
    documents = store.rows("documents")
    tables = {name: store.rows(name) for name in LINKED_TABLES}
    recall_readings(store, documents, tables)
    if pool is not None and pool.workers > 1:
        report = link_report(documents, tables, mapper=pool.map, workers=pool.workers)
    else:
        report = link_report(documents, tables)
    # Suggestions (candidates just below the linker's threshold, method 'suggested') are
    # stored beside the links so that `evidence review` lists them and the journeys show a
    # possible recurrence; they never make a recommendation `recurred` unless confirmed.
    store.replace_links(link.to_row() for link in [*report.links, *report.suggestions])
    return list(report.disagreements)


def recall_readings(store: Store, documents: list[dict], tables: dict[str, list[dict]]) -> None:
    """Take the readings the workers made and stored, and make (and store) those missing: the
    documents of a store built before readings were kept, or read by another vocabulary."""
    key = normaliser()
    stored = store.readings(key)
    remember((text, words, head) for _, text, words, head in stored)
    have = {(document, text) for document, text, _, _ in stored}
    missing = [
        (document, text)
        for document, texts in texts_to_read(documents, tables).items()
        for text in texts
        if (document, text) not in have
    ]
    if not missing:
        return
    read = {text: (words, head) for text, words, head in readings_of(t for _, t in missing)}
    store.add_readings(
        [
            {
                "document_id": document,
                "text": text,
                "words": read[text][0],
                "head": read[text][1],
                "normaliser": key,
            }
            for document, text in missing
        ]
    )
