"""The store: rows as the contract names them, full-text search, and Datasette on top."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, PAPERS_ONLY, store_copy

from evidence.build import build
from evidence.site.process import metadata_for
from evidence.store import Store, to_row
from extract.records import Action, Measure, Milestone


@pytest.fixture(scope="module")
def db(tmp_path_factory, built_corpus) -> str:
    path = store_copy(built_corpus, tmp_path_factory.mktemp("store") / "evidence.db")
    return str(path)


def test_records_become_rows_with_json_columns():
    action = Action(
        document_id="d",
        page=2,
        label="2.1",
        text="Framework for supervision",
        milestones=(Milestone("QA agreed", "February 2015", "2015-02-01"),),
        leads=("Naomi Knott",),
        bbox=(1.0, 2.0, 3.0, 4.0),
    )
    row = to_row(action)
    assert json.loads(row["milestones"]) == [
        {"text": "QA agreed", "date_text": "February 2015", "date": "2015-02-01"}
    ]
    assert json.loads(row["leads"]) == ["Naomi Knott"] and json.loads(row["bbox"]) == [1.0, 2.0, 3.0, 4.0]
    measure = to_row(
        Measure(document_id="d", page=1, name="n", values=(("Qu 1 19-20", "481"), ("Qu 2 19-20", None)))
    )
    assert json.loads(measure["values"]) == {"Qu 1 19-20": "481", "Qu 2 19-20": None}


def test_every_row_names_its_document_and_page(db):
    with sqlite3.connect(db) as conn:
        for table in ("recommendations", "actions", "findings", "judgements", "measures"):
            orphans = conn.execute(
                f"select count(*) from {table} t left join documents d on d.id = t.document_id "
                "where d.id is null or t.page is null or t.page < 1"
            ).fetchone()[0]
            assert orphans == 0, table


def test_full_text_search_finds_recommendations(db):
    store = Store(db)
    try:
        rows = store.query(
            "select r.text from recommendations_fts f join recommendations r on r.rowid = f.rowid "
            "where recommendations_fts match 'supervision'"
        )
    finally:
        store.close()
    assert rows and all("supervision" in r["text"].lower() for r in rows)


def test_datasette_serves_the_store_with_metadata_and_search(db):
    datasette = pytest.importorskip("datasette.app")
    app = datasette.Datasette([db], metadata=metadata_for(db))

    async def fetch():
        tables = await app.client.get("/evidence.json")
        search = await app.client.get("/evidence/recommendations.json?_search=supervision&_shape=array")
        return tables, search

    tables, search = asyncio.run(fetch())
    assert tables.status_code == 200 and search.status_code == 200
    names = {t["name"] for t in tables.json()["tables"]}
    assert {"documents", "recommendations", "actions", "links", "problems"} <= names
    assert search.json() and all("supervision" in r["text"].lower() for r in search.json())
    assert app.metadata("title") == "Evidence store — children's services inspections"


def test_journeys_table_is_evidence_status(ofsted_dir, tmp_path):
    from evidence.journeys.journey import status_rows

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("cheshire-east_2015-09-15.pdf", "cheshire-east_2020-01-09.pdf", "plymouth_2015-01-06.pdf"):
        shutil.copy(ofsted_dir / name, folder / name)
    db = tmp_path / "j.db"
    build([CORPUS, folder], db)
    store = Store(db)
    try:
        table = store.rows("journeys")
    finally:
        store.close()
    # SQLite keeps a flag as 0 or 1
    status = [
        {k: int(v) if isinstance(v, bool) else v for k, v in row.items()}
        for row in (r.to_row() for r in status_rows(str(db)))
    ]
    assert sorted(table, key=lambda r: r["id"]) == sorted(status, key=lambda r: r["id"])
    assert {"closed", "recurred", "planned"} <= {r["state"] for r in table}


def old_store(db: Path) -> sqlite3.Connection:
    """A store as an early version left it: a documents table of the first columns."""
    conn = sqlite3.connect(db)
    conn.execute(
        "create table documents (id text primary key, path text not null, sha256 text not null unique,"
        " doc_type text not null, extractor_version text not null)"
    )
    return conn


def test_a_store_that_had_the_journeys_view_opens_with_the_table(tmp_path):
    papers = tmp_path / "papers"  # the bundled papers alone make journeys in six states
    shutil.copytree(CORPUS, papers, ignore=PAPERS_ONLY)
    db = tmp_path / "old.db"
    with old_store(db) as conn:
        conn.execute("create view journeys as select id, 'open' as state from documents")
    build([papers], db)
    build([papers], db)  # and again, now that journeys is a table
    with sqlite3.connect(db) as conn:
        kinds = dict(
            conn.execute(
                "select name, type from sqlite_master where name like 'journey%' and type != 'index'"
            )
        )
        states = conn.execute("select count(*) from journeys where state is not null").fetchone()[0]
    assert kinds == {"journeys": "table", "journey_events": "table"} and states > 0


def test_a_store_from_an_older_version_gains_new_columns(tmp_path):
    db = tmp_path / "old.db"
    with old_store(db) as conn:
        conn.execute("create table problems (path text primary key, reason text not null)")
    Store(db).close()
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("pragma table_info(problems)")}
    assert columns == {"path", "reason", "at"}


def test_a_store_made_before_document_paths_knows_each_document_at_its_path(tmp_path, built_corpus):
    db = store_copy(built_corpus, tmp_path / "e.db")
    with sqlite3.connect(db) as conn:
        conn.execute("drop table document_paths")
    Store(db).close()
    with sqlite3.connect(db) as conn:
        places = conn.execute("select count(*) from document_paths").fetchone()[0]
        tops = conn.execute("select count(*) from documents where parent_id is null").fetchone()[0]
    assert places == tops == len(list(CORPUS.glob("*.pdf")) + list(CORPUS.glob("*.txt")))
