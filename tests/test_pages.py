"""The browser pages: /journeys, /trace/{id}, /about and the home page, served by Datasette
from evidence/templates on a store of the bundled corpus and two Cheshire East inspections."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT

from evidence.build import build
from evidence.cli import metadata_for
from evidence.journey import journey
from evidence.review import review

TEMPLATES = ROOT / "evidence" / "templates"
# Plymouth's 2015 inspection is answered by the bundled draft plan, whose actions have target dates.
INSPECTIONS = ("cheshire-east_2015-09-15.pdf", "cheshire-east_2020-01-09.pdf", "plymouth_2015-01-06.pdf")

datasette_app = pytest.importorskip("datasette.app")
# The pages call sql(); without the plugin every page fails with "'sql' is undefined".
pytest.importorskip("datasette_template_sql", reason="pip install datasette-template-sql")


@pytest.fixture(scope="module")
def db(ofsted_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inspections")
    for name in INSPECTIONS:
        shutil.copy(ofsted_dir / name, folder / name)  # a link out of the folder is not followed
    path = tmp_path_factory.mktemp("pages") / "evidence.db"
    build([CORPUS, folder], path)
    return path


def fetch(db: Path, path: str):
    app = datasette_app.Datasette([str(db)], metadata=metadata_for(str(db)), template_dir=str(TEMPLATES))
    return asyncio.run(app.client.get(path))


def query(db: Path, sql: str, *params) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def text_of(page: str) -> str:
    """What a reader sees: tags dropped (a block tag breaks words), entities decoded, spaces collapsed."""
    inline = re.sub(r"</?(?:a|span|code|strong|em|small)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def events_of(page: str) -> list[str]:
    """The journey's entries, as printed, in page order."""
    return re.findall(r'<div class="ev-event.*?</div>', page, re.S)


def original(db: Path, label: str) -> sqlite3.Row:
    return query(
        db,
        "select * from journeys where authority = 'Cheshire East' and inspection_date = '2015-09-15' and label = ?",
        label,
    )[0]


def test_journeys_lists_every_original_of_an_authority_with_its_state(db):
    page = fetch(db, "/journeys?authority=cheshire+east")
    assert page.status_code == 200
    rows = query(db, "select * from journeys where authority = 'Cheshire East'")
    traced = re.findall(r'<tr>\s*<td><a href="/trace/([^"]+)">', page.text)
    assert sorted(traced) == sorted(r["id"] for r in rows)
    # one heading per inspection, though the 2020 report is stored twice (on its own and in a pack)
    assert page.text.count("Inspection of 2020-01-09") == 1 and "Inspection of 2015-09-15" in page.text
    assert "Cambridgeshire</a></h2>" not in page.text and "Plymouth</a></h2>" not in page.text
    for row in rows:
        cells = page.text.split(f'href="/trace/{row["id"]}"', 2)[2].split("</tr>")[0]
        assert f'ev-state-{row["state"].replace(" ", "-")}">{row["state"]}<' in cells, row["id"]
        assert f"<td>{row['actions']}</td>" in cells


def test_journeys_shows_the_text_and_claim_of_a_recommendation(db):
    rec = original(db, "8")
    page = text_of(fetch(db, "/journeys?authority=Cheshire%20East").text)
    assert " ".join(rec["text"].split()) in page
    assert f"recurred outstanding {rec['latest_claim_date']}" in page


def test_journeys_shows_the_actions_and_latest_target_date_of_a_plan(db):
    rows = query(
        db, "select * from journeys where authority = 'Plymouth' and actions > 0 order by latest_target_date"
    )
    assert rows and any(r["latest_target_date"] for r in rows)
    page = fetch(db, "/journeys?authority=Plymouth").text
    for row in rows:
        cells = page.split(f'href="/trace/{row["id"]}"', 2)[2].split("</tr>")[0]
        assert (
            f"<td>{row['actions']}</td>" in cells and f"<td>{row['latest_target_date'] or ''}</td>" in cells
        )
        assert f'ev-state-{row["state"]}">{row["state"]}<' in cells


def test_journeys_of_an_unknown_authority_says_so(db):
    page = fetch(db, "/journeys?authority=Nowhere")
    assert page.status_code == 200
    assert "No recommendations of “Nowhere” in the store" in text_of(page.text)
    assert "/trace/" not in page.text.split("No recommendations")[1]


def test_journeys_filters_by_state(db):
    page = fetch(db, "/journeys?authority=Cheshire+East&state=closed")
    closed = query(db, "select id from journeys where authority = 'Cheshire East' and state = 'closed'")
    traced = re.findall(r'<tr>\s*<td><a href="/trace/([^"]+)">', page.text)
    assert closed and sorted(traced) == sorted(r["id"] for r in closed)


def test_trace_follows_a_recommendation_from_inspection_to_recurrence(db):
    rec = original(db, "8")
    page = fetch(db, f"/trace/{rec['id']}")
    assert page.status_code == 200
    seen = text_of(page.text)
    assert "Cheshire East: recommendation 8 recurred" in seen
    assert " ".join(rec["text"].split()) in seen and "Made by the inspection of 2015-09-15" in seen
    events = events_of(page.text)
    dates = [date for e in events for date in re.findall(r"<strong>([\d-]+)</strong>", e)]
    assert len(dates) == len(events) and dates == sorted(dates) and dates[0] == "2016-07-01"
    restated = text_of(events[0])
    assert "restates" in restated and "restatement 8" in restated and "claims outstanding" in restated
    recurs = [text_of(e) for e in events if "<code>recurs_in</code>" in e]
    assert recurs and all(e.startswith("2020-01-09") for e in recurs)
    assert "Cheshire East Council Inspection of children’s social care services, page 3" in recurs[0]
    assert re.search(r"similarity 0\.\d\d: same authority", recurs[0])


def test_trace_shows_the_events_of_evidence_trace_in_its_order(db):
    richest = query(db, "select id from journeys order by links desc, id limit 1")[0]["id"]
    found = journey(str(db), richest)
    page = fetch(db, f"/trace/{richest}").text
    shown = [re.findall(r'href="/evidence/\w+/([^"]+)">\1</a>', e)[0] for e in events_of(page)]
    assert shown == [e["id"] for e in found["events"]] and len(shown) > 3
    assert f"State as of {found['as_of']}: {found['state']}" in text_of(page)


def test_trace_links_every_source_document_row(db):
    rec = original(db, "8")
    page = fetch(db, f"/trace/{rec['id']}").text
    documents = set(re.findall(r'href="/evidence/documents/([^"]+)"', page))
    linked = query(
        db,
        "select distinct coalesce(r.document_id, a.document_id, al.document_id) as document_id from links l "
        "left join recommendations r on r.id = l.source_id left join actions a on a.id = l.source_id "
        "left join area_links al on al.id = l.source_id where l.target_id = ?",
        rec["id"],
    )
    assert documents == {rec["id"].split("-r")[0]} | {r["document_id"] for r in linked}
    for ident in documents:
        assert fetch(db, f"/evidence/documents/{ident}").status_code == 200


def test_a_rejected_link_is_struck_through_and_counts_for_nothing(db, tmp_path):
    reviewed = tmp_path / "evidence.db"
    shutil.copy(db, reviewed)
    rec = original(db, "8")
    recurs = query(db, "select key from links where target_id = ? and relation = 'recurs_in'", rec["id"])
    rejecting = [arg for r in recurs for arg in ("--reject", r["key"])]
    result = CliRunner().invoke(review, ["--db", str(reviewed), *rejecting])
    assert result.exit_code == 0, result.output
    page = fetch(reviewed, f"/trace/{rec['id']}").text
    rejected = [e for e in events_of(page) if "ev-rejected" in e]
    assert len(rejected) == len(recurs) > 0
    assert all("<code>recurs_in</code>" in e and "A person rejected this link" in e for e in rejected)
    assert "Cheshire East: recommendation 8 planned" in text_of(page)


def test_trace_of_a_stand_in_shows_its_own_claim(db):
    stand_in = query(db, "select * from journeys where stands_in and latest_claim = 'met' limit 1")[0]
    seen = text_of(fetch(db, f"/trace/{stand_in['id']}").text)
    assert "Its inspection is not in the store" in seen
    assert "Cambridgeshire: key finding" in seen and "reported met" in seen
    assert re.search(r"· claims · key finding \S+ · claims met", seen)


def test_trace_of_a_linked_item_leads_to_its_original(db):
    rec = original(db, "8")
    restatement = query(
        db, "select source_id from links where target_id = ? and relation = 'restates'", rec["id"]
    )[0]
    page = fetch(db, f"/trace/{restatement['source_id']}")
    assert page.status_code == 302 and page.headers["location"] == f"/trace/{rec['id']}"


def test_trace_of_an_unknown_id_is_not_found(db):
    page = fetch(db, "/trace/no-such-id")
    assert page.status_code == 404 and "No recommendation no-such-id in the store" in page.text


def test_about_and_home_lead_to_the_journeys(db):
    about = fetch(db, "/about")
    assert about.status_code == 200
    seen = text_of(about.text)
    assert "About this evidence store" in seen and 'href="/journeys"' in about.text
    for state in ("open", "planned", "overdue", "monitoring", "reported met", "closed", "recurred"):
        assert f">{state}</span>" in about.text
    richest = query(db, "select id from journeys order by links desc, id limit 1")[0]["id"]
    assert f'href="/trace/{richest}"' in about.text
    home = fetch(db, "/")
    assert home.status_code == 200 and 'href="/journeys"' in home.text and 'href="/about"' in home.text
    assert 'href="/evidence/recommendations"' in home.text
