"""The tracker workbook as an officer circulates it (evidence/export.py, issue #22): long texts
wrapped, states and days overdue coloured, numbers as numbers, a month as a month, no server
paths, an empty column for the officer's update, and a first sheet that says where the links lead."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import CORPUS
from openpyxl import load_workbook
from test_export import db, export  # noqa: F401  (db is the module's store fixture)

from evidence.export import tracker


@pytest.fixture(scope="module")
def book(db, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("book") / "tracker.xlsx"
    code, output = export(
        db, "--format", "xlsx", "--authority", "Plymouth", "--as-of", "2026-01-01", "--out", str(out)
    )
    assert code == 0
    return load_workbook(out), output


def sheet_rows(sheet):
    header = [c.value for c in sheet[1]]
    return header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_the_first_sheet_says_where_the_links_lead_and_the_cli_says_so(book):
    workbook, output = book
    assert workbook.sheetnames[0] == "read me"
    said = " ".join(str(c.value) for c in workbook["read me"]["A"])
    assert "http://127.0.0.1:8001" in said and "--site-url" in said and "only on the computer" in said
    assert "--site-url" in output


def test_long_texts_wrap_and_states_and_days_overdue_are_coloured(book):
    workbook, _ = book
    header, rows = sheet_rows(workbook["journeys"])
    long = [r["recommendation"] for r in rows if len(r["recommendation"].value) > 60]
    assert long and all(c.alignment.wrap_text for c in long)
    assert all(r["state"].fill.fgColor.rgb.endswith("F9D8C4") for r in rows if r["state"].value == "overdue")
    late = [r["days_overdue"] for r in rows if r["days_overdue"].value]
    assert late and all(c.fill.fill_type == "solid" for c in late)


def test_numbers_are_numbers_and_sort_as_numbers(book):
    workbook, _ = book
    _, rows = sheet_rows(workbook["journeys"])
    recs = [r["rec"].value for r in rows]
    assert all(isinstance(v, int) for v in recs if not str(v).startswith("unnumbered")) and 10 in recs
    assert "unnumbered, 3rd listed" in recs
    _, actions = sheet_rows(workbook["actions"])
    assert {type(a["area"].value) for a in actions if a["area"].value} == {int}


def test_a_month_is_shown_as_a_month_and_counted_from_its_end(book, db):  # noqa: F811
    workbook, _ = book
    _, rows = sheet_rows(workbook["journeys"])
    row = next(
        r for r in rows if r["overdue_since"].value and r["overdue_since"].number_format == "mmmm yyyy"
    )
    since = row["overdue_since"].value.date()
    end = date(since.year + since.month // 12, since.month % 12 + 1, 1)  # the day after the month's last
    assert row["days_overdue"].value == (date(2026, 1, 1) - end).days + 1
    assert row["latest_target_date"].number_format == "mmmm yyyy"
    plain = tracker(db, "Plymouth", "2026-01-01")["journeys"]
    assert any(r["latest_target_date"] and len(r["latest_target_date"]) == 7 for r in plain)  # "2015-04"


def test_no_server_paths_and_an_empty_update_column(book):
    workbook, _ = book
    folder = str(Path(CORPUS).resolve())
    for name in ("journeys", "actions", "recommendations", "links"):
        header, rows = sheet_rows(workbook[name])
        assert "path" not in header
        assert not any(folder in str(c.value) for r in rows for c in r.values())
    for name in ("journeys", "actions"):
        header, rows = sheet_rows(workbook[name])
        assert "update" in header and all(r["update"].value is None for r in rows)


def test_a_text_documents_action_is_found_by_its_line(book):
    workbook, _ = book
    _, actions = sheet_rows(workbook["actions"])
    assert actions and all(a["line"].value and a["page"].value is None for a in actions)
    assert next(a for a in actions if a["label"].value == "6.1")["line"].value == 179


def test_links_are_in_words(book):
    workbook, _ = book
    _, links = sheet_rows(workbook["links"])
    relations = {r["relation"].value for r in links}
    assert links and not {"responds_to", "recurs_in", "addresses"} & relations and "answered" in relations
    assert not any("/corpus/" in str(r["evidence"].value) for r in links)


def test_a_claim_of_a_paper_dated_by_its_month_is_that_month(db):  # noqa: F811
    rows = tracker(db, "Cheshire East", "2026-01-01")["journeys"]
    claimed = {r["latest_claim_date"] for r in rows if r["latest_claim_date"]}
    assert "2016-07" in claimed and "2016-07-01" not in claimed  # the progress report of "July 2016"
