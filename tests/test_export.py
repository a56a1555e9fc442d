"""The tracker (`evidence export`) as a council officer opens it: an Excel workbook with filters,
frozen headers, real dates and a link to each item's source page; states and days overdue as of
a date; one authority's rows. Built from the bundled corpus."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import store_copy
from openpyxl import load_workbook

from evidence.cli import cli
from evidence.export import matching_authorities, tracker
from evidence.journeys.journey import status_rows
from extract.errors import EvidenceError


@pytest.fixture(scope="module")
def db(tmp_path_factory, built_corpus) -> str:
    path = store_copy(built_corpus, tmp_path_factory.mktemp("export") / "evidence.db")
    return str(path)


def export(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["export", "--db", db, *args])
    return result.exit_code, result.output


def test_the_workbook_has_a_sheet_a_council_keeps_with_filters_widths_and_frozen_headers(db, tmp_path):
    out = tmp_path / "tracker.xlsx"
    code, output = export(db, "--format", "xlsx", "--out", str(out))
    assert code == 0 and f"Wrote {out}" in output
    book = load_workbook(out)
    assert book.sheetnames == ["read me", "journeys", "actions", "recommendations", "claims", "links"]
    sheet = book["journeys"]
    header = [c.value for c in sheet[1]]
    for column in ("authority", "inspected", "rec", "recommendation", "state", "lead", "latest_target_date"):
        assert column in header
    assert {"days_overdue", "latest_claim", "page", "source", "as_of"} <= set(header)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert all(c.font.bold for c in sheet[1])
    widths = {
        sheet.cell(1, i + 1).column_letter: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
        for i in range(len(header))
    }
    text_column = sheet.cell(1, header.index("recommendation") + 1).column_letter
    assert widths[text_column] == 60 and min(widths.values()) >= 5
    assert sheet.max_row - 1 == len(status_rows(db))


def test_dates_are_dates_and_each_row_links_to_its_source_page(db, tmp_path):
    out = tmp_path / "tracker.xlsx"
    export(db, "--format", "xlsx", "--out", str(out), "--site-url", "http://council.example:8001")
    sheet = load_workbook(out)["journeys"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("inspected")].value)
    inspected = row[header.index("inspected")]
    assert isinstance(inspected.value, date) and inspected.number_format == "yyyy-mm-dd"
    assert isinstance(row[header.index("as_of")].value, date)
    link = row[header.index("source")]
    ident = row[header.index("id")].value
    assert (
        link.value == "source page" and link.hyperlink.target == f"http://council.example:8001/source/{ident}"
    )


def test_as_of_sets_the_state_and_the_days_overdue(db):
    early = {r["id"]: r for r in tracker(db, "Plymouth", "2015-01-06")["journeys"]}
    later = {r["id"]: r for r in tracker(db, "Plymouth", "2016-01-01")["journeys"]}
    overdue = [i for i, r in later.items() if r["state"] == "overdue"]
    assert overdue and all(early[i]["state"] == "planned" for i in overdue)
    assert all(early[i]["days_overdue"] is None for i in overdue)
    for ident in overdue:
        row = later[ident]
        assert row["as_of"] == "2016-01-01" and row["lead"] and row["actions"] > 0
        assert 0 < row["days_overdue"] <= 366  # the plan's actions fell due during 2015


def test_as_of_defaults_to_today(db):
    rows = tracker(db)["journeys"]
    today = date.today().isoformat()
    assert {r["as_of"] for r in rows} == {today}
    states = {r.id: r.state for r in status_rows(db, as_of=today)}
    assert {r["id"]: r["state"] for r in rows} == states


def test_actions_name_their_recommendation_lead_and_days_overdue(db):
    actions = tracker(db, "Plymouth", "2016-01-01")["actions"]
    assert actions and all(a["authority"] == "Plymouth" for a in actions)
    late = [a for a in actions if a["days_overdue"]]
    assert late and all(a["state"] == "overdue" and a["target_date"] < "2016-01-01" for a in late)
    answered = [a for a in actions if a["state"]]
    assert answered and all(a["recommendation"].endswith("(inspection of 2015-01-06)") for a in answered)


def test_authority_takes_a_word_of_a_name(db, tmp_path):
    out = tmp_path / "cheshire.json"
    code, _ = export(db, "--format", "json", "--authority", "cheshire", "--out", str(out))
    assert code == 0
    data = json.loads(out.read_text())
    for sheet in ("journeys", "actions", "recommendations", "claims", "links"):
        assert {r["authority"] for r in data[sheet]} <= {"Cheshire East"}
    assert {r["authority"] for r in data["journeys"]} == {"Cheshire East"}


def test_an_unknown_authority_lists_those_the_store_has(db):
    code, output = export(db, "--format", "json", "--authority", "Nowhere", "--out", "/tmp/never.json")
    assert code == 1
    assert "no authority 'Nowhere'" in output and "Cambridgeshire, Cheshire East, Plymouth" in output
    with pytest.raises(EvidenceError, match="it has Cambridgeshire, Cheshire East, Plymouth"):
        tracker(db, "Nowhere")


def test_matching_authorities():
    known = ["Cheshire East", "Cheshire West and Chester", "East Sussex", "Plymouth"]
    assert matching_authorities(known, "cheshire east") == ["Cheshire East"]
    assert matching_authorities(known, "Cheshire") == ["Cheshire East", "Cheshire West and Chester"]
    assert matching_authorities(known, "east") == ["Cheshire East", "East Sussex"]
    assert matching_authorities(known, "Ply") == ["Plymouth"]
    assert matching_authorities(known, "Hull") == []


def test_csv_writes_one_file_a_sheet(db, tmp_path):
    out = tmp_path / "csv"
    code, _ = export(db, "--format", "csv", "--out", str(out), "--as-of", "2016-01-01")
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["actions.csv", "claims.csv", "journeys.csv", "links.csv", "recommendations.csv"]
    with (out / "journeys.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["as_of"] for r in rows} == {"2016-01-01"}


def test_a_date_that_is_not_a_date_says_how_to_write_it(db, tmp_path):
    code, output = export(db, "--format", "json", "--as-of", "last spring", "--out", str(tmp_path / "t.json"))
    assert code == 1 and "is not a date: give it as YYYY-MM-DD" in output
    assert not Path(tmp_path / "t.json").exists()


def test_the_tracker_says_whether_a_person_reviewed_each_state(db):
    from evidence.export import tracker

    rows = tracker(db)["journeys"]
    states = {r.id: r for r in status_rows(db)}
    assert {r["reviewed"] for r in rows} <= {
        "reviewed by a person",
        "partly reviewed by a person",
        "not yet reviewed",
    }
    for row in rows:
        mine = states[row["id"]]
        assert row["candidates_to_settle"] == mine.to_settle
        assert row["decided_by"] == {"person": "a person", "tool": "the linker", None: None}[mine.decided_by]
        if row["state"] == "possible recurrence":
            assert row["reviewed"] == "not yet reviewed" and row["candidates_to_settle"] > 0


def test_each_link_in_the_tracker_names_its_recommendation(db):
    # the links sheet gave the bare number, blank for an unnumbered recommendation
    rows = tracker(db)["links"]
    assert rows and all(r["recommendation"] and r["recommendation_text"] and r["inspected"] for r in rows)
    assert any(r["recommendation"].startswith("unnumbered, listed ") for r in rows)
