"""The pages as a council officer meets them (issue #22): lines of text documents, links that
keep their filters, a date that is not one, no server paths."""

from __future__ import annotations

import csv
import io
import re

import pytest
from test_pages import db, fetch, query, text_of  # noqa: F401  (db is the module's store fixture)

from evidence.journeys.formatting import shown_date

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


def test_a_month_only_target_date_is_shown_as_its_month(db):  # noqa: F811
    rows = query(
        db,
        "select id, latest_target_date from journeys where authority = 'Plymouth' "
        "and latest_target_date_precision = 'month' order by latest_target_date desc",
    )
    assert rows
    page = fetch(db, "/journeys?authority=Plymouth").text
    latest = rows[0]
    month = shown_date(latest["latest_target_date"], "month")
    assert re.fullmatch(r"[A-Z][a-z]+ 20\d\d", month)
    cells = page.split(f'href="/trace/{latest["id"]}"', 2)[2].split("</tr>")[0]
    assert f'"Latest target date">{month}</td>' in cells
    trace = text_of(fetch(db, f"/trace/{latest['id']}").text)
    assert f"latest due {month}" in trace and latest["latest_target_date"] not in trace


def test_a_papers_month_only_date_is_shown_as_its_month(db):  # noqa: F811
    report = query(db, "select id, date, date_precision from documents where date_text = 'July 2016'")[0]
    assert report["date"] == "2016-07-01" and report["date_precision"] == "month"
    rec = query(
        db,
        "select id from journeys where authority = 'Cheshire East' and label = '3' and inspection_date = '2015-09-15'",
    )[0]
    trace = text_of(fetch(db, f"/trace/{rec['id']}").text)
    assert "July 2016" in trace and "2016-07-01" not in trace


def test_links_are_explained_in_words_with_the_full_evidence_a_click_away(db):  # noqa: F811
    rec = query(
        db,
        "select id from journeys where authority = 'Cheshire East' and label = '3' and inspection_date = '2015-09-15'",
    )[0]
    page = fetch(db, f"/trace/{rec['id']}").text
    assert "<code>recurs_in</code>" not in page and ">recurs_in<" not in page
    assert "repeated by a later inspection" in text_of(page)
    for event in re.findall(r'<div class="ev-event.*?</div>', page, re.S):
        shown, _, full = event.partition("<details")
        assert "why: " in shown and not re.search(r"\(\+\d\.\d\)", shown)  # no weighted features
        assert "the full evidence</summary>" in full
    assert "/corpus/" not in page  # files by their names, in the evidence too


def test_the_home_page_says_what_the_store_holds_in_words(db):  # noqa: F811
    page = fetch(db, "/").text
    seen = text_of(page)
    assert "hidden table" not in seen and "<code>document_id</code>" not in page
    documents = query(db, "select count(*) as n from documents")[0]["n"]
    assert f"It holds {documents} documents" in seen


def test_a_text_items_page_cell_reads_its_line(db):  # noqa: F811
    page = fetch(db, f"/{db.stem}/actions?label=6.1").text
    assert re.search(r'title="see it on its page">line&nbsp;179</a>', page)


def test_an_unnumbered_recommendation_is_named_by_its_place_not_a_number(db):  # noqa: F811
    rec = query(
        db, "select id, position from journeys where label like '#%' and authority = 'Plymouth' limit 1"
    )[0]
    trace = fetch(db, f"/trace/{rec['id']}").text
    heading = text_of(trace.split("<h1>")[1].split("</h1>")[0])
    assert "(unnumbered)" in heading and "#" not in heading
    journeys = fetch(db, "/journeys?authority=Plymouth").text
    cell = journeys.split(f'<td data-label="Rec"><a href="/trace/{rec["id"]}">', 1)[1].split("</td>")[0]
    assert "unnumbered," in cell and "#" not in cell
