"""The pages as a council officer meets them (issue #22): lines of text documents, links that
keep their filters, a date that is not one, no server paths."""

from __future__ import annotations

import csv
import io
import re

import pytest
from test_pages import db, fetch, query, text_of  # noqa: F401  (db is the module's store fixture)

pytest.importorskip("datasette.app")


def plymouth_action(db, label: str):  # noqa: F811
    return query(
        db,
        "select a.*, d.path from actions a join documents d on d.id = a.document_id where a.label = ?",
        label,
    )[0]


def test_a_text_documents_item_is_found_by_its_line(db):  # noqa: F811
    action = plymouth_action(db, "6.1")
    page = fetch(db, f"/source/{action['id']}").text
    assert "source, line 179" in page.split("</title>")[0]
    assert ", line 179" in text_of(page) and "page 1" not in text_of(page)
    trace = fetch(
        db,
        "/trace/"
        + query(db, "select id from journeys where authority = 'Plymouth' and label = '2'")[0]["id"],
    )
    assert trace.status_code == 200
    lines = re.findall(r'class="ev-source">(line \d+|page \d+)</a>', trace.text)
    assert "line 75" in lines  # action 2.1 of the plan
    assert "page 1" not in lines


def test_no_server_path_is_printed(db):  # noqa: F811
    rec = query(db, "select j.id, d.path from journeys j join documents d on d.id = j.document_id limit 1")[0]
    folder = rec["path"].rsplit("/", 1)[0]
    action = plymouth_action(db, "6.1")
    for url in (f"/trace/{rec['id']}", f"/source/{rec['id']}", f"/source/{action['id']}"):
        page = fetch(db, url).text
        assert folder not in page, url
    assert 'class="ev-filename">' + rec["path"].rsplit("/", 1)[1] in fetch(db, f"/trace/{rec['id']}").text


def test_a_trace_asked_for_a_date_that_is_not_one_says_so(db):  # noqa: F811
    rec = query(db, "select id from journeys limit 1")[0]["id"]
    page = text_of(fetch(db, f"/trace/{rec}?as_of=garbage").text)
    assert "“garbage” is not a date" in page
    assert "is not a date" not in text_of(fetch(db, f"/trace/{rec}?as_of=2016-01-01").text)


def test_every_link_of_journeys_keeps_its_date(db):  # noqa: F811
    page = fetch(db, "/journeys?authority=Plymouth&as_of=2030-01-01").text
    overdue = int(re.search(r"ev-state-overdue\">overdue</span>&nbsp;(\d+)", page).group(1))
    links = re.findall(r'<a href="([^"#]+)"[^>]*>(.*?)</a>', page, re.S)
    # every link that stays with these journeys (all but "today", which drops the date on purpose)
    kept = [
        h
        for h, text in links
        if ("/journeys" in h or "tracker" in h) and "authority=" in h and text != "today"
    ]
    assert len(kept) > 5 and all("as_of=2030-01-01" in h for h in kept)
    assert not any("journeys.csv" in h and "as_of" not in h for h, _ in links)
    csv_link = re.search(r'href="(/-/journeys\.csv\?[^"]+)"', page).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(fetch(db, csv_link).text)))
    assert rows and {r["as_of"] for r in rows} == {"2030-01-01"}
    assert sum(r["state"] == "overdue" for r in rows) == overdue
