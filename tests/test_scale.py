"""Work moved off the build's main process changes no result: texts read in the workers,
authority blocks linked in the workers, readings kept in the store for the next build."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS

import link.linker
import link.text
from evidence.build import build
from evidence.linking import LINKED_TABLES
from evidence.store import Store
from evidence.workers import Pool

# Columns that say when a row was written, not what it says.
WHEN = {"built_at", "seen_at", "at", "started_at", "finished_at", "pid", "host", "summary"}
TABLES = (
    "documents",
    "document_paths",
    "recommendations",
    "actions",
    "findings",
    "judgements",
    "measures",
    "area_links",
    "links",
    "journeys",
    "journey_events",
    "problems",
    "readings",
)


def rows(db: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            columns = [c[1] for c in conn.execute(f"pragma table_info({table})") if c[1] not in WHEN]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(map(repr, conn.execute(f"select {quoted} from {table}")))
        return out
    finally:
        conn.close()


@pytest.fixture
def blocks_sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Link every store in the workers, however small, and count the tasks they did."""
    monkeypatch.setattr(link.linker, "PARALLEL_LINK_ITEMS", 0)
    sent: list[int] = []
    real = Pool.map

    def counted(pool: Pool, func: Any, tasks: list[Any]) -> list[Any]:
        done = real(pool, func, tasks)
        if func is link.linker.link_blocks:
            sent.append(len(done))  # only when the workers gave their links back
        return done

    monkeypatch.setattr(Pool, "map", counted)
    return sent


def test_two_workers_give_the_rows_and_links_one_gives(tmp_path: Path, blocks_sent: list[int]) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([CORPUS], one, workers=1)
    assert blocks_sent == []  # one worker: linked here
    build([CORPUS], two, workers=2)
    assert blocks_sent and blocks_sent[0] > 1  # the authorities went to the workers
    here, there = rows(one), rows(two)
    assert len(here["links"]) > 20 and len(here["readings"]) > 100
    assert there == here


def test_a_rebuild_links_from_the_stored_readings_as_from_the_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "e.db"
    build([CORPUS], db, workers=2)
    first = rows(db)
    link.text.forget()  # as a new process would start

    def no_spacy() -> Any:
        raise AssertionError("a text was read again")

    monkeypatch.setattr(link.text, "get_nlp", no_spacy)
    result = build([CORPUS], db, workers=2)
    assert len(result.unchanged) == len(result.extracted) + len(result.unchanged) > 5
    assert rows(db) == first


def test_readings_of_another_vocabulary_are_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "e.db"
    build([CORPUS], db)
    first = rows(db)
    with sqlite3.connect(db) as conn:  # as if read by an older vocabulary, wrongly
        conn.execute("update readings set words = 'nothing', normaliser = 'older'")
    link.text.forget()
    build([CORPUS], db)
    assert rows(db) == first
    with sqlite3.connect(db) as conn:
        assert conn.execute("select distinct normaliser from readings").fetchall() == [
            (link.text.normaliser(),)
        ]


def test_a_store_without_readings_gains_them(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    build([CORPUS], db)
    first = rows(db)
    with sqlite3.connect(db) as conn:  # a store built before readings were kept
        conn.execute("delete from readings")
    link.text.forget()
    build([CORPUS], db)
    assert rows(db) == first


def test_blocks_the_workers_cannot_take_are_linked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "e.db"
    build([CORPUS], db)
    store = Store(db)
    try:
        documents = store.rows("documents")
        tables = {name: store.rows(name) for name in LINKED_TABLES}
    finally:
        store.close()
    here = link.linker.link_report(documents, tables)
    monkeypatch.setattr(link.linker, "PARALLEL_LINK_ITEMS", 0)

    def refuses(func: Any, tasks: list[Any]) -> list[Any]:
        raise pickle.PicklingError("a block that cannot be sent")

    assert link.linker.link_report(documents, tables, mapper=refuses, workers=2) == here
    assert len(here.links) > 20
