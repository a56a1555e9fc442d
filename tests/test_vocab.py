"""The field's vocabulary: every parser reads statuses, bodies and grades alike."""

from __future__ import annotations

import pytest

from extract.vocab import (
    agency_addressed,
    body_of,
    grade_in,
    normalise_grade,
    responsible_body,
    send_outcome,
    status_of,
)


@pytest.mark.parametrize(
    "words, status",
    [
        ("Recommendations fully met", "met"),
        ("Not yet completed", "outstanding"),
        ("Partially completed", "in progress"),
        ("Achieved", "met"),
        ("Monitor for sustained impact", "monitoring"),
        # the progress and committee parsers used to disagree on these two
        ("The recommendation has been met", "met"),
        ("The toolkit was completed for use during 2019-20", "in progress"),
        ("Update – ongoing action", "in progress"),
        ("This is now in place", "met"),
        ("not yet started", "outstanding"),
    ],
)
def test_claims_read_as_a_reader_would(words: str, status: str) -> None:
    assert status_of(words) is not None
    assert status_of(words)[0] == status  # type: ignore[index]


def test_a_sentence_that_claims_nothing_has_no_status() -> None:
    assert status_of("Children are seen regularly by their social workers.") is None


@pytest.mark.parametrize(
    "text, body",
    [
        ("What does the Local Safeguarding Children Board need to improve?", "safeguarding board"),
        ("What does the LSCB need to improve?", "safeguarding board"),
        ("The Safeguarding Partnership should ensure", "safeguarding partnership"),
        ("Bromley Safeguarding Children Partnership (BSCP) has agreed", "safeguarding partnership"),
        ("The LSCP's priorities are", "safeguarding partnership"),
        ("Leaders in the local area partnership should", "area partnership"),
        ("NHS Greater Manchester Integrated Care Board", "health"),
        ("What does the local authority need to improve?", "local authority"),
    ],
)
def test_each_body_has_one_name(text: str, body: str) -> None:
    assert body_of(text) == body


@pytest.mark.parametrize(
    "printed, grade",
    [
        ("Requires improvement to be good", "Requires improvement to be good"),
        ("require improvement", "Requires improvement"),
        ("Grade 4", "Inadequate"),
        ("Good", "Good"),
        ("not a grade", None),
    ],
)
def test_grades_as_printed(printed: str, grade: str | None) -> None:
    assert normalise_grade(printed) == grade


def test_a_grade_inside_a_sentence() -> None:
    assert grade_in("Ofsted judged the service to be requires improvement to be good overall") == (
        "Requires improvement to be good"
    )


@pytest.mark.parametrize(
    "sentence, band",
    [
        (
            "The local area partnership’s SEND arrangements typically lead to positive experiences and "
            "outcomes for children and young people with SEND.",
            "Positive experiences and outcomes",
        ),
        (
            "The local area partnership’s SEND arrangements lead to inconsistent experiences and outcomes",
            "Inconsistent experiences and outcomes",
        ),
        (
            "There are widespread and/or systemic failings leading to significant concerns about the "
            "experiences and outcomes of children and young people with SEND",
            "Significant concerns",
        ),
    ],
)
def test_send_outcomes(sentence: str, band: str) -> None:
    assert send_outcome(sentence) == band


@pytest.mark.parametrize(
    "item, body",
    [
        ("Police officers do not always record the voice of the child.", "police"),
        ("The named GP does not oversee safeguarding practice in primary care.", "health"),
        ("Social workers' assessments do not consider the history of the family.", "local authority"),
        ("The partnership does not evaluate the impact of its training.", "safeguarding partnership"),
        ("Police and children's social care do not share information promptly.", "safeguarding partnership"),
        ("Strategy meetings are not always held when needed.", "safeguarding partnership"),
    ],
)
def test_a_joint_inspection_item_is_addressed_to_the_agency_it_singles_out(item: str, body: str) -> None:
    assert agency_addressed(item) == body


@pytest.mark.parametrize(
    "printed, body",
    [
        ("Bury Metropolitan Borough Council and NHS Greater Manchester ICB", "area partnership"),
        ("NHS Derby and Derbyshire Integrated Care Board", "health"),
        ("Leaders in the local area partnership", "area partnership"),
        ("Derbyshire County Council", "local authority"),
    ],
)
def test_a_send_table_names_its_responsible_body(printed: str, body: str) -> None:
    assert responsible_body(printed) == body
