"""Work moved off the build's main process changes no result: texts read in the workers,
authority blocks linked in the workers, readings kept in the store for the next build."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, store_contents, store_copy

import evidence.build.run
import evidence.build.workers
import evidence.build.writer
import extract
import link.linker
import link.text
from evidence.build import BuildOptions, build
from evidence.build.linking import LINKED_TABLES
from evidence.build.workers import Pool
from evidence.store import Prepared, Store

# Columns that say when a row was written, not what it says.


@pytest.fixture(scope="module")
def corpus_store(built_corpus: Path) -> Path:
    """The bundled corpus built once, for the tests that only read it."""
    return built_corpus


def stored_rows(db: Path) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The documents and the rows the linker reads, as linking all at once reads them."""
    store = Store(db)
    try:
        return store.rows("documents"), {name: store.rows(name) for name in LINKED_TABLES}
    finally:
        store.close()


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


@pytest.mark.slow  # starts processes of its own
@pytest.mark.real_reads
def test_two_workers_give_the_rows_and_links_one_gives(tmp_path: Path, blocks_sent: list[int]) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([CORPUS], one, BuildOptions(workers=1))
    assert blocks_sent == []  # one worker: linked here
    build([CORPUS], two, BuildOptions(workers=2))
    assert blocks_sent and blocks_sent[0] > 1  # the authorities went to the workers
    here, there = store_contents(one), store_contents(two)
    assert len(here["links"]) > 20 and len(here["readings"]) > 100
    assert there == here


def test_a_rebuild_links_from_the_stored_readings_as_from_the_texts(
    corpus_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_copy(corpus_store, tmp_path / "e.db")  # a first build, with its readings
    first = store_contents(db)
    link.text.forget()  # as a new process would start

    def no_spacy() -> Any:
        raise AssertionError("a text was read again")

    monkeypatch.setattr(link.text, "get_nlp", no_spacy)
    result = build([CORPUS], db, BuildOptions(workers=2))
    assert len(result.unchanged) == len(result.extracted) + len(result.unchanged) > 5
    assert store_contents(db) == first


@pytest.mark.parametrize(
    "tamper",
    [
        # as if read by an older vocabulary, wrongly
        "update readings set words = 'nothing', normaliser = 'older'",
        # a store built before readings were kept
        "delete from readings",
    ],
    ids=["readings of another vocabulary are made again", "a store without readings gains them"],
)
def test_readings_that_are_stale_or_missing_are_made_again(
    corpus_store: Path, tmp_path: Path, tamper: str
) -> None:
    db = store_copy(corpus_store, tmp_path / "e.db")  # a first build
    first = store_contents(db)
    with sqlite3.connect(db) as conn:
        conn.execute(tamper)
    link.text.forget()
    build([CORPUS], db)
    assert store_contents(db) == first
    with sqlite3.connect(db) as conn:
        assert conn.execute("select distinct normaliser from readings").fetchall() == [
            (link.text.normaliser(),)
        ]


def test_blocks_the_workers_cannot_take_are_linked_here(
    corpus_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents, tables = stored_rows(corpus_store)
    here = link.linker.link_report(documents, tables)
    monkeypatch.setattr(link.linker, "PARALLEL_LINK_ITEMS", 0)

    def refuses(func: Any, tasks: list[Any]) -> list[Any]:
        raise pickle.PicklingError("a block that cannot be sent")

    assert link.linker.link_report(documents, tables, mapper=refuses, workers=2) == here
    assert len(here.links) > 20


PAPERS = (
    "cheshire-east_2013-01-17_lga-peer-review-letter.txt",
    "cheshire-east_2016-07_improvement-progress-report.txt",
    "plymouth_2015-01-06_draft-improvement-plan.txt",
)


def papers(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name in PAPERS:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    return folder


def test_a_file_that_cannot_be_stored_costs_only_itself_in_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = papers(tmp_path / "docs")
    real = evidence.build.workers.safe_prepare

    def unstorable(path: str) -> Prepared | str:
        prepared = real(path)
        if path.endswith(PAPERS[1]) and isinstance(prepared, Prepared):
            row = next(iter(prepared.tables.values()))[0]
            prepared.tables.setdefault("judgements", []).append(
                {"id": "x", "document_id": "nowhere", "page": 1, "area": "x", "grade": "Good"}
            )
            assert row
        return prepared

    monkeypatch.setattr(evidence.build.workers, "safe_prepare", unstorable)
    result = build([folder], tmp_path / "e.db")  # the three files are one batch
    assert [(Path(p).name, r.split(" (")[0]) for p, r in result.failures] == [
        (PAPERS[1], "could not be stored")
    ]
    assert sorted(Path(p).name for p in result.extracted) == sorted([PAPERS[0], PAPERS[2]])
    assert result.counts["documents"] == 2


def test_batches_write_what_files_one_by_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when a file moved and another took its place, on a build that reads every file
    again (a newer extractor): the moved file's old place is the other's new one."""
    folder = tmp_path / "docs"
    stores = []
    for batch_rows in (evidence.build.writer.STORE_BATCH_ROWS, 0):
        monkeypatch.setattr(evidence.build.writer, "STORE_BATCH_ROWS", batch_rows)
        monkeypatch.setattr(evidence.build.run, "EXTRACTOR_VERSION", extract.EXTRACTOR_VERSION)
        db = tmp_path / f"batch-{batch_rows}.db"
        papers(folder)
        build([folder], db)
        moved = folder / PAPERS[2]
        moved.rename(folder / f"0-{PAPERS[2]}")  # read first; its old place now holds another paper
        moved.write_bytes((folder / PAPERS[1]).read_bytes() + b"\nA later edition.\n")
        monkeypatch.setattr(evidence.build.run, "EXTRACTOR_VERSION", "newer")
        result = build([folder], db, BuildOptions(accept_worse=True))
        assert len(result.extracted) == 4 and not result.failures
        stores.append(store_contents(db))
    assert stores[0] == stores[1]
    assert len(stores[0]["document_paths"]) == 4


def test_linking_an_authority_at_a_time_finds_what_linking_all_at_once_finds(
    corpus_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents, tables = stored_rows(corpus_store)
    whole = link.linker.link_report(documents, tables)
    store = Store(corpus_store)
    try:
        monkeypatch.setattr(link.linker, "LINK_BATCH_ITEMS", 1)  # each authority a batch of its own
        asked: list[list[str]] = []

        def read(ids: list[str], tables: Any) -> dict[str, list[dict[str, Any]]]:
            asked.append(ids)
            return {name: store.rows_of_documents(name, ids) for name in tables}

        parts = [part for _, part in link.linker.link_by_authority(documents, read)]
    finally:
        store.close()
    assert [one for part in parts for one in part.links] == whole.links
    assert [one for part in parts for one in part.suggestions] == whole.suggestions
    assert [one for part in parts for one in part.disagreements] == whole.disagreements
    assert len(whole.links) > 20
    authorities = {d["authority"] for d in documents if d["authority"]}
    assert len(authorities) >= 3 and len(parts) == len(authorities)
    assert len(asked) == 2 * len(authorities), "each authority's rows are read twice, and only its"


def test_journeys_stored_an_authority_at_a_time_are_the_whole_store_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_corpus: Path
) -> None:
    import evidence.journeys.journey
    from evidence.journeys.journey import Journeys, journey_of, status_row

    monkeypatch.setattr(evidence.journeys.journey, "JOURNEY_BATCH_DOCUMENTS", 1)  # each authority a batch
    store = Store(store_copy(built_corpus, tmp_path / "e.db"))
    try:
        evidence.journeys.journey.refresh_journeys(store)  # as the build's last step does
        found = Journeys.read(store)  # every authority's rows at once
        whole = [status_row(found, o, journey_of(found, o)) for o in found.originals()]
        stored = store.rows("journeys")
    finally:
        store.close()
    assert len({row.authority for row in whole}) >= 3
    assert [(r["id"], r["state"], r["links"]) for r in stored] == [(r.id, r.state, r.links) for r in whole]


def test_an_authority_s_fingerprints_are_those_the_whole_store_gives_its_rows(corpus_store: Path) -> None:
    """Links are written a batch of authorities at a time, each keyed by the fingerprints of
    that batch's rows: a person's verdict must find the same key as when the whole store was
    read at once."""
    from link.blocks import authority_documents
    from link.inspections import rows_to_docs

    store = Store(corpus_store)
    try:
        whole = store.fingerprints()
        parts = [
            store.fingerprints(ids) for ids in authority_documents(rows_to_docs(store.rows("documents")))
        ]
    finally:
        store.close()
    assert len(parts) >= 3
    assert all(part == {ends: whole[ends] for ends in part} for part in parts)
    assert sum(map(len, parts)) == len(whole) > 100
