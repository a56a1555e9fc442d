"""Runs the linker over what the store holds and writes its links back."""

from __future__ import annotations

from .store import Store


def link_store(store: Store) -> int:
    from link.linker import link_rows

    documents = store.rows("documents")
    tables = {name: store.rows(name) for name in ("recommendations", "actions", "findings", "area_links")}
    links = link_rows(documents, tables)
    return store.replace_links(link.to_row() for link in links)
