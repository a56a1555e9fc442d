"""Runs the linker over what the store holds and writes its links back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from link.linker import link_by_authority, texts_to_read
from link.text import normaliser, readings_of, remember

from ..store import Store
from .workers import Pool

LINKED_TABLES = ("recommendations", "actions", "area_links", "findings")


def link_store(store: Store, pool: Pool | None = None) -> list[str]:
    """Link everything stored; returns the disagreements the linker reports (a number whose
    text disagrees, a text that agrees with another number), one line each. `pool`: the
    build's workers, which link the authority blocks in parallel on a large store. The rows
    are read a few authorities at a time (see `link.linker.link_by_authority`)."""
    documents = store.rows("documents")
    by_id = {str(row["id"]): row for row in documents}
    key = normaliser()
    store.drop_readings_not_by(key)

    def read(ids: list[str], tables: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        rows = {name: store.rows_of_documents(name, ids) for name in tables}
        # the first pass reads the recommendations alone: the second, reading every table,
        # makes what is missing (looking for it costs as much as a third of linking)
        recall_readings(
            store, [by_id[i] for i in ids], rows, key, make_missing=set(tables) == set(LINKED_TABLES)
        )
        return rows

    workers = pool.workers if pool is not None else 1
    disagreements: list[str] = []

    def found() -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
        for ids, part in link_by_authority(documents, read, pool.map if pool is not None else None, workers):
            disagreements.extend(part.disagreements)
            # Suggestions (candidates just below the linker's threshold, method 'suggested')
            # are stored beside the links so that `evidence review` lists them and the journeys
            # show a possible recurrence; they never make a recommendation `recurred` unless
            # confirmed.
            rows = [link.to_row() for link in [*part.links, *part.suggestions]]
            del part  # not held while the next batch is linked
            yield ids, rows

    store.replace_links(found())
    return disagreements


def recall_readings(
    store: Store,
    documents: list[dict[str, Any]],
    tables: dict[str, list[dict[str, Any]]],
    key: str,
    make_missing: bool = True,
) -> None:
    """Remember the readings the workers made and stored of these documents' texts, and make
    (and store) those missing: the documents of a store built before readings were kept, or
    read by another vocabulary."""
    stored = store.readings(key, [str(row["id"]) for row in documents])
    remember((text, words, head) for _, text, words, head in stored)
    if not make_missing:
        return
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
