"""The browser pages: /journeys, /trace/{id}, /source/{id}, /search, the dashboard, /about and the
home page, served by Datasette from evidence/site/templates and evidence/site/plugin.py on a store of the
bundled corpus (its council papers and the Ofsted reports they answer)."""

from __future__ import annotations

import asyncio
import functools
import html
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, store_copy

from evidence.journeys.formatting import shown_date
from evidence.journeys.journey import journey, status_rows
from evidence.review import review
from evidence.site.process import metadata_for

TEMPLATES = ROOT / "evidence" / "site" / "templates"

datasette_app = pytest.importorskip("datasette.app")
# The pages call sql(); without the plugin every page fails with "'sql' is undefined".
pytest.importorskip("datasette_template_sql", reason="pip install datasette-template-sql")


@pytest.fixture(scope="module")
def db(tmp_path_factory, built_corpus) -> Path:
    path = store_copy(built_corpus, tmp_path_factory.mktemp("pages") / "evidence.db")
    return path


def fetch(db: Path, path: str):
    return LOOP.run_until_complete(site_of(str(db)).client.get(path))


# One Datasette per store and one event loop for the module: starting a Datasette costs more
# than most pages.
LOOP = asyncio.new_event_loop()


@functools.cache
def site_of(db: str):
    return datasette_app.Datasette([db], metadata=metadata_for(db), template_dir=str(TEMPLATES))


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
    traced = re.findall(r'<tr>\s*<td[^>]*><a href="/trace/([^"]+)">', page.text)
    assert sorted(traced) == sorted(r["id"] for r in rows)
    # one heading per inspection, though the 2020 report is stored twice (on its own and in a pack)
    assert page.text.count("Inspection of 2020-01-09") == 1 and "Inspection of 2015-09-15" in page.text
    assert "Cambridgeshire</a></h2>" not in page.text and "Plymouth</a></h2>" not in page.text
    for row in rows:
        cells = page.text.split(f'href="/trace/{row["id"]}"', 2)[2].split("</tr>")[0]
        assert f'ev-state-{row["state"].replace(" ", "-")}">{row["state"]}<' in cells, row["id"]
        assert f'"Actions">{row["actions"]}</td>' in cells


def test_journeys_shows_the_text_and_claim_of_a_recommendation(db):
    rec = original(db, "8")
    page = text_of(fetch(db, "/journeys?authority=Cheshire%20East").text)
    assert " ".join(rec["text"].split()) in page
    assert rec["latest_claim_date"] == "2016-07-01"  # the progress report of "July 2016": shown as its month
    # its state, who decided it, then its latest claim
    assert re.search(r"recurred (not yet reviewed|reviewed by a person).{0,120}? outstanding July 2016", page)


def test_journeys_shows_the_actions_and_latest_target_date_of_a_plan(db):
    rows = query(
        db, "select * from journeys where authority = 'Plymouth' and actions > 0 order by latest_target_date"
    )
    assert rows and any(r["latest_target_date"] for r in rows)
    page = fetch(db, "/journeys?authority=Plymouth").text
    for row in rows:
        cells = page.split(f'href="/trace/{row["id"]}"', 2)[2].split("</tr>")[0]
        assert (
            f'"Actions">{row["actions"]}</td>' in cells
            and f'"Latest target date">{shown_date(row["latest_target_date"], row["latest_target_date_precision"])}</td>'
            in cells
        )
        assert f'ev-state-{row["state"].replace(" ", "-")}">{row["state"]}<' in cells


def test_journeys_of_an_unknown_authority_says_so(db):
    page = fetch(db, "/journeys?authority=Nowhere")
    assert page.status_code == 200
    assert "No recommendations of “Nowhere” in the store" in text_of(page.text)
    assert "/trace/" not in page.text.split("No recommendations")[1]


def test_journeys_filters_by_state(db):
    page = fetch(db, "/journeys?authority=Cheshire+East&state=closed")
    closed = query(db, "select id from journeys where authority = 'Cheshire East' and state = 'closed'")
    traced = re.findall(r'<tr>\s*<td[^>]*><a href="/trace/([^"]+)">', page.text)
    assert closed and sorted(traced) == sorted(r["id"] for r in closed)


def test_trace_follows_a_recommendation_from_inspection_to_recurrence(db):
    rec = original(db, "3")
    page = fetch(db, f"/trace/{rec['id']}")
    assert page.status_code == 200
    seen = text_of(page.text)
    assert "Cheshire East: recommendation 3 recurred" in seen
    assert " ".join(rec["text"].split()) in seen and "Made by the inspection of 2015-09-15" in seen
    events = events_of(page.text)
    dates = [date for e in events for date in re.findall(r"<strong>([^<]+)</strong>", e)]
    assert len(dates) == len(events) and dates[0] == "July 2016"  # the progress report prints its month
    assert dates[2:] == sorted(dates[2:]) and dates[2] > "2016"
    restated = text_of(events[0])
    assert "· restated ·" in restated and "restatement 3" in restated and "claims outstanding" in restated
    recurs = [text_of(e) for e in events if 'title="recurs_in">repeated by a later inspection<' in e]
    # the later inspections (2020 and 2024) repeat it; a link says how likely a reader accepts it
    assert recurs and all(e.startswith(("2020-01-09", "2024-05-16")) for e in recurs)
    assert "Cheshire East Council Inspection of children’s social care services, page 3" in recurs[0]
    assert all(re.search(r"why: .*; (\d\d?|over 99)% likely a reader agrees", e) for e in recurs)
    # a candidate the tool does not assert says so in its why
    assert all(("may repeat" in e) == ("candidate for a person" in e) for e in recurs)
    assert all(
        re.search(r"the full evidence Found by .*probability 0\.\d\d that a reader accepts it", e)
        for e in recurs
    )


def test_trace_shows_the_events_of_evidence_trace_in_its_order(db):
    richest = query(db, "select id from journeys order by links desc, id limit 1")[0]["id"]
    found = journey(str(db), richest)
    page = fetch(db, f"/trace/{richest}").text
    shown = [re.findall(r'href="/evidence/\w+/([^"]+)">\1</a>', e)[0] for e in events_of(page)]
    assert shown == [e["id"] for e in found.events] and len(shown) > 3
    assert f"State as of {found.as_of}: {found.state}" in text_of(page)


def test_trace_links_every_source_document_row(db):
    rec = original(db, "8")
    page = fetch(db, f"/trace/{rec['id']}").text
    documents = set(re.findall(r'href="/evidence/documents/([^"]+)"', page))
    linked = query(
        db,
        "select distinct source_document_id as document_id from link_items where target_id = ?",
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
    assert all('title="recurs_in"' in e and "A person rejected this link" in e for e in rejected)
    assert "Cheshire East: recommendation 8 planned" in text_of(page)


def test_journeys_and_trace_say_who_decided_and_what_is_left_to_settle(db, tmp_path):
    """A possible recurrence is 'not yet reviewed', with its candidates to settle counted per
    authority; once a person settles every candidate no, the page says so."""
    possible = query(
        db,
        "select * from journeys where authority = 'Cheshire East' and state = 'possible recurrence' order by id",
    )
    assert possible
    left = query(
        db,
        "select count(*) as n from links l join recommendations s on s.id = l.source_id"
        " join documents d on d.id = s.document_id"
        " where l.relation = 'recurs_in' and l.confirmed is null and d.authority = 'Cheshire East'",
    )[0]["n"]
    page = text_of(fetch(db, "/journeys?authority=Cheshire+East").text)
    assert f"{left} candidate repeats left to settle" in page and "not yet reviewed" in page
    counted = fetch(db, "/evidence/left_to_settle.json?_shape=objects").json()["rows"]
    assert {r["authority"]: r["candidates_to_settle"] for r in counted}["Cheshire East"] == left
    rec = possible[0]
    assert f"not yet reviewed · {rec['to_settle']} candidate repeat" in text_of(
        fetch(db, f"/trace/{rec['id']}").text
    )
    reviewed = tmp_path / "evidence.db"
    shutil.copy(db, reviewed)
    candidates = query(db, "select key from links where target_id = ? and relation = 'recurs_in'", rec["id"])
    rejecting = [arg for r in candidates for arg in ("--reject", r["key"])]
    result = CliRunner().invoke(review, ["--db", str(reviewed), *rejecting])
    assert result.exit_code == 0, result.output
    seen = text_of(fetch(reviewed, f"/trace/{rec['id']}").text)
    assert "reviewed by a person" in seen and "candidate repeat" not in seen.split("Journey")[0]


def test_trace_of_a_stand_in_shows_its_own_claim(db):
    stand_in = query(db, "select * from journeys where stands_in and latest_claim = 'met' limit 1")[0]
    seen = text_of(fetch(db, f"/trace/{stand_in['id']}").text)
    assert "Its inspection is not in the store" in seen
    assert f"Cambridgeshire: key finding {stand_in['label']} {stand_in['state']}" in seen
    assert re.search(r"· claims progress · key finding \S+ · claims met", seen)


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
    live = query(db, "select count(*) as n from links where confirmed is null or confirmed != 0")[0]["n"]
    assert f"through {live} links" in seen  # as many as the home page says: rejected ones count for nothing
    home = fetch(db, "/")
    assert f"joined by {live:,} links" in text_of(home.text)
    assert home.status_code == 200 and 'href="/journeys"' in home.text and 'href="/about"' in home.text
    assert 'href="/evidence/recommendations"' in home.text


def test_about_says_files_not_used_apart_from_stored_files_with_something_to_check(tmp_path):
    import damage
    from conftest import CORPUS

    from evidence.build import build

    folder = tmp_path / "r"
    folder.mkdir()
    report = "plymouth_2024-03-15.pdf"
    (folder / report).write_bytes(damage.page_lost((CORPUS / report).read_bytes(), 2))
    (folder / "empty.pdf").write_bytes(b"")
    db = tmp_path / "e.db"
    build([folder], db)
    seen = text_of(fetch(db, "/about").text)
    assert "1 file could not be used." in seen
    assert "1 stored file has something to check" in seen


# -- the source of every item ------------------------------------------------------------------


def test_a_pdf_item_is_shown_on_its_page_with_its_box(db):
    import pypdfium2 as pdfium

    rec = original(db, "8")
    doc = query(db, "select * from documents where id = ?", rec["document_id"])[0]
    item = query(db, "select * from recommendations where id = ?", rec["id"])[0]
    page = fetch(db, f"/source/{rec['id']}")
    assert page.status_code == 200
    pdf = pdfium.PdfDocument(doc["path"])
    width, height = pdf[item["page"] - 1].get_size()
    pages = len(pdf)
    pdf.close()
    x0, top, x1, bottom = json.loads(item["bbox"])
    style = re.search(
        r'id="item-box" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; height: ([\d.]+)%',
        page.text,
    )
    assert style, "no highlighted box"
    left, top_share, box_width, box_height = (float(v) for v in style.groups())
    assert abs(left - 100 * x0 / width) < 0.01 and abs(top_share - 100 * top / height) < 0.01
    assert (
        abs(box_width - 100 * (x1 - x0) / width) < 0.01
        and abs(box_height - 100 * (bottom - top) / height) < 0.01
    )
    assert f'src="/-/page/{doc["id"]}/{item["page"]}.png"' in page.text
    assert f'href="/-/file/{doc["id"]}#page={item["page"]}"' in page.text
    assert f"Page {item['page']} of {pages}" in text_of(page.text)
    assert f'href="/trace/{rec["id"]}"' in page.text  # back to its journey


def test_the_page_image_is_the_pdf_page_rendered(db):
    rec = original(db, "8")
    doc_id, page_number = rec["document_id"], rec["page"]
    image = fetch(db, f"/-/page/{doc_id}/{page_number}.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    width = int.from_bytes(image.content[16:20], "big")
    assert 880 <= width <= 900  # an A4 page (595 pt) at 1.5
    assert fetch(db, f"/-/page/{doc_id}/999.png").status_code == 404


def test_the_file_is_served_as_it_is(db):
    rec = original(db, "8")
    doc = query(db, "select * from documents where id = ?", rec["document_id"])[0]
    response = fetch(db, f"/-/file/{doc['id']}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == Path(doc["path"]).read_bytes()
    assert fetch(db, "/-/file/0000000000000000").status_code == 404


def test_a_text_item_is_shown_among_its_lines(db):
    claim = query(
        db,
        "select r.*, d.path from recommendations r join documents d on d.id = r.document_id "
        "where d.path like '%progress-report.txt' and r.label = '9' and r.kind = 'restatement'",
    )[0]
    page = fetch(db, f"/source/{claim['id']}")
    assert page.status_code == 200 and "The passage is highlighted" in page.text
    marked = re.findall(
        r'<mark class="ev-line"[^>]*><span class="ev-n">(\d+)</span>(.*?)</mark>', page.text, re.S
    )
    lines = Path(claim["path"]).read_text(encoding="utf-8").split("\n")
    assert marked and all(html.unescape(text) == lines[int(n) - 1] for n, text in marked)
    shown = " ".join(html.unescape(t) for _, t in marked)
    assert " ".join(claim["text"].split())[:80] in " ".join(shown.split())


def test_a_paper_inside_a_pack_is_found_within_its_own_lines(db):
    item = query(
        db,
        "select r.id, r.text, d.first_line, d.last_line from recommendations r join documents d on d.id = r.document_id "
        "where d.parent_id is not null and d.first_line > 100 order by r.id limit 1",
    )[0]
    page = fetch(db, f"/source/{item['id']}").text
    numbers = [int(n) for n in re.findall(r'<mark class="ev-line"[^>]*><span class="ev-n">(\d+)<', page)]
    assert numbers and all(item["first_line"] <= n <= item["last_line"] for n in numbers)


def test_an_unknown_item_is_not_found_and_says_where_to_look(db):
    page = fetch(db, "/source/0000000000000000-r1")
    assert page.status_code == 404 and "search for it at /search" in page.text


def test_an_item_in_no_journey_leads_from_trace_to_its_source(db):
    finding = query(db, "select id from findings limit 1")[0]["id"]
    page = fetch(db, f"/trace/{finding}")
    assert page.status_code == 302 and page.headers["location"] == f"/source/{finding}"


# -- navigation ----------------------------------------------------------------------------


def test_ids_and_pages_are_links_in_tables_and_queries(db):
    table = fetch(db, "/evidence/recommendations?kind=recommendation&_size=5").text
    first = re.findall(r'href="/source/([^"]+)"[^>]*>p\.&nbsp;\d+<', table)
    assert len(first) == 5
    links = fetch(db, "/evidence/links?relation=restates&_size=5").text
    targets = re.findall(r'<a href="/trace/([^"]+)">\1</a>', links)
    assert len(targets) >= 5  # target_id of each link, to its journey
    claimed = fetch(db, "/evidence/claimed_met").text
    assert re.search(r'<a href="/trace/[0-9a-f]{16}-r\d+">', claimed)  # a canned query's bare id
    document = fetch(db, "/evidence/documents?_size=3").text
    assert re.search(r'<a href="/-/file/[0-9a-f]{16}">/', document)


def test_a_row_page_leads_to_its_source_and_journey(db):
    rec = original(db, "8")
    page = fetch(db, f"/evidence/recommendations/{rec['id']}").text
    assert f'href="/source/{rec["id"]}"' in page and f'href="/trace/{rec["id"]}"' in page


def test_search_covers_every_text_table_and_leads_to_journeys_and_sources(db):
    page = fetch(db, "/search?q=private+fostering")
    assert page.status_code == 200
    seen = text_of(page.text)
    assert "Recommendations (" in seen and "Findings (" in seen
    recs = set(re.findall(r'href="/trace/([^"]+)" class="ev-hit"', page.text))
    expected = {
        r["id"]
        for r in query(db, "select id, text from recommendations")
        if "private fostering" in " ".join(r["text"].lower().split())
    }
    assert recs and recs <= expected
    assert re.search(r'href="/source/[^"]+" class="ev-hit"', page.text)  # a finding, to its page
    assert "<mark>" in page.text
    judged = fetch(db, "/search?q=overall+effectiveness").text
    assert "Judgements (" in text_of(judged)
    odd = fetch(db, "/search?q=%22unbalanced+AND")
    assert odd.status_code == 200  # words are searched as words, whatever the punctuation


def test_journeys_keep_their_filters_on_the_way_to_the_table_csv_and_tracker(db):
    page = fetch(db, "/journeys?authority=Cheshire&state=closed").text
    assert 'href="/evidence/journeys?authority__contains=Cheshire&amp;state=closed"' in page
    assert re.search(
        r'href="/-/journeys\.csv\?authority=Cheshire&amp;state=closed&amp;as_of=\d{4}-\d\d-\d\d"', page
    )
    assert re.search(r'href="/-/tracker\.xlsx\?authority=Cheshire&amp;as_of=\d{4}-\d\d-\d\d"', page)
    csv_rows = fetch(db, "/-/journeys.csv?authority=Cheshire&state=closed").text
    closed = query(db, "select id from journeys where authority = 'Cheshire East' and state = 'closed'")
    assert len(csv_rows.strip().splitlines()) == len(closed) + 1


def test_journeys_take_a_word_of_an_authority_and_a_date(db):
    page = fetch(db, "/journeys?authority=cheshire").text
    assert "where they stand: Cheshire East" in text_of(page)
    early = fetch(db, "/journeys?authority=Plymouth&as_of=2015-01-06").text
    later = fetch(db, "/journeys?authority=Plymouth&as_of=2016-01-01").text
    assert "as of 2015-01-06" in text_of(early) and "as of 2016-01-01" in text_of(later)
    for row in status_rows(str(db), as_of="2016-01-01"):
        if row.authority == "Plymouth":
            cells = later.split(f'href="/trace/{row.id}"', 2)[2].split("</tr>")[0]
            assert f'ev-state-{row.state.replace(" ", "-")}"' in cells
    assert later.count("ev-state-overdue") > early.count("ev-state-overdue")


def test_the_tracker_downloads_from_the_site(db):
    response = fetch(db, "/-/tracker.xlsx?authority=Plymouth&as_of=2016-01-01")
    assert response.status_code == 200
    assert 'filename="tracker-2016-01-01.xlsx"' in response.headers["content-disposition"]
    assert response.content.startswith(b"PK")
    data = fetch(db, "/-/tracker.json?authority=Plymouth").json()
    assert {r["authority"] for r in data["journeys"]} == {"Plymouth"}
    assert all(r["source"].startswith("http://localhost/source/") for r in data["journeys"])
    unknown = fetch(db, "/-/tracker.xlsx?authority=Nowhere")
    assert unknown.status_code == 400 and "it has Cambridgeshire, Cheshire East, Plymouth" in unknown.text


# -- the dashboard -------------------------------------------------------------------------


def test_every_dashboard_panel_has_rows_and_each_leads_to_the_rows_behind_it(db):
    import urllib.parse

    page = fetch(db, "/-/dashboards/overview")
    assert page.status_code == 200
    charts = metadata_for(str(db))["plugins"]["datasette-dashboards"]["overview"]["charts"]
    assert set(charts) == {"states", "overdue", "to_settle", "judgements", "recurrences"}
    for name, chart in charts.items():
        sql = re.sub(r"\[\[.*?\]\]", "", chart["query"], flags=re.S)
        rows = fetch(
            db, "/evidence.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "objects"})
        ).json()["rows"]
        assert rows, f"the {name} panel is empty"
        for row in rows[:6]:
            target = fetch(db, row["href"])
            assert target.status_code == 200, (name, row["href"])
    states = fetch(
        db,
        "/evidence.json?"
        + urllib.parse.urlencode(
            {"sql": re.sub(r"\[\[.*?\]\]", "", charts["states"]["query"]), "_shape": "objects"}
        ),
    ).json()["rows"]
    for row in states:
        shown = fetch(db, row["href"]).text
        assert len(re.findall(r'<tr>\s*<td[^>]*><a href="/trace/', shown)) == row["recommendations"], row[
            "href"
        ]


def test_trace_shows_the_state_as_of_a_date(db):
    ref = "Plymouth 2015 6"
    rec = journey(str(db), ref, as_of="2015-01-06").recommendation
    early = text_of(fetch(db, f"/trace/{rec['id']}?as_of=2015-01-06").text)
    later = text_of(fetch(db, f"/trace/{rec['id']}?as_of=2016-01-01").text)
    assert "State as of 2015-01-06: planned" in early and "State as of 2016-01-01: overdue" in later
    assert "evidence trace " + rec["id"] + " --as-of 2016-01-01" in later


def test_a_date_or_page_that_is_not_one_is_said_or_ignored(db):
    page = text_of(fetch(db, "/journeys?as_of=last+spring").text)
    assert "“last spring” is not a date: the states are shown as of today" in page
    rec = original(db, "8")
    shown = fetch(db, f"/source/{rec['id']}?page=two")
    assert shown.status_code == 200 and f"Page {rec['page']} of" in text_of(shown.text)
    beyond = fetch(db, f"/source/{rec['id']}?page=999")
    assert "has no page 999" in text_of(beyond.text)
    assert str(ROOT) not in beyond.text  # the file by its name, not where it lies on the server


def test_the_dashboard_follows_the_store_whatever_its_file_is_called():
    metadata = metadata_for("/somewhere/region.db")
    dashboard = metadata["plugins"]["datasette-dashboards"]["overview"]
    assert {c["db"] for c in dashboard["charts"].values()} == {"region"}
    assert dashboard["filters"]["authority"]["db"] == "region"
    assert "'/region/overdue_actions?lead='" in dashboard["charts"]["overdue"]["query"]
    assert "/evidence/" not in json.dumps(dashboard)
    assert set(metadata["databases"]) == {"region"}
