"""Journeys in a reader's words (evidence/journeys/formatting.py): dates as printed, relations
and a link's reason in plain words."""

from __future__ import annotations

import pytest

from evidence.journeys.formatting import format_status, plain_evidence, relation_words, short_why, shown_date
from evidence.journeys.journey import StatusRow

FULL = (
    "same authority; the inspection of 2020-01-09 repeats recommendation 8 of the inspection of 2015-09-15; "
    "probability 0.92 that a reader accepts it: agreement in meaning of their closest parts 0.79 (+2.1); "
    "agreement in meaning 0.88 (+1.6); what both ask to improve (-0.4); both: assessment"
)


@pytest.mark.parametrize(
    ("iso", "precision", "shown"),
    [
        ("2015-04-01", "month", "April 2015"),
        ("2015-04-01", "day", "2015-04-01"),
        ("2015-04-01", None, "2015-04-01"),
        (None, "month", ""),
    ],
)
def test_a_date_is_shown_as_printed(iso, precision, shown):
    assert shown_date(iso, precision) == shown


def test_a_links_reason_in_one_line():
    assert short_why(FULL) == (
        "the inspection of 2020-01-09 repeats recommendation 8 of the inspection of 2015-09-15; "
        "92% likely a reader agrees; both mention assessment"
    )


def test_a_files_folders_are_left_out_of_the_evidence():
    text = "the same report stored twice (/srv/data/corpus/a b.txt and /srv/x/plymouth_2019.pdf); item 1 = item 1"
    assert (
        plain_evidence(text)
        == "the same report stored twice (a b.txt and plymouth_2019.pdf); item 1 = item 1"
    )


def test_relations_in_words():
    assert relation_words("recurs_in") == "repeated by a later inspection"
    assert relation_words("responds_to") == "answered"


def test_a_year_range_is_not_taken_for_a_folder():
    assert plain_evidence("the 2016/17/18 plan; and/or both") == "the 2016/17/18 plan; and/or both"


def test_status_shows_a_month_only_target_as_its_month():
    row = StatusRow(
        id="p-r1",
        authority="Plymouth",
        inspection_date="2015-01-06",
        label="1",
        kind="recommendation",
        body=None,
        text="Ensure that practitioners have reasonable workloads.",
        short_text="Ensure that practitioners have reasonable workloads.",
        page=4,
        actions=4,
        latest_target_date="2015-09-01",
        latest_claim=None,
        latest_claim_date=None,
        recurred_on=None,
        links=4,
        stands_in=False,
        as_of="2026-01-01",
        state="overdue",
        target_date_slips=0,
        reported_met_then_recurred=False,
        document_id="p",
        position=1,
        latest_target_date_precision="month",
        decided_by=None,
        reviewed=False,
        to_settle=0,
    )
    assert "September 2015" in format_status([row]) and "2015-09-01" not in format_status([row])
