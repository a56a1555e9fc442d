"""Whether a summary sentence reports a strength or a weakness, or cannot be told (issue #20:
a summary's weaknesses are not strengths; an unsure sentence is left without a kind)."""

from __future__ import annotations

import pytest

from extract.polarity import STRENGTH, WEAKNESS, sentence_kind


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        # sentences of 2025-26 summaries that were stored as strengths
        ("This has left some children at risk of harm.", WEAKNESS),
        ("Some care leavers aged 18 to 21 have been closed to the service without a named person.", None),
        ("This contributed to the stalling of improvements given the scale of the issues.", WEAKNESS),
        (
            "Over a short period of time, four directors of children's services have led the service, and this "
            "churn in leadership has prevented the development of a stable senior team.",
            WEAKNESS,
        ),
        # the point of a sentence is its reservation
        (
            "Frontline managers provide effective supervision and guidance to staff, but this is not always "
            "reflected in children and care leavers' records.",
            WEAKNESS,
        ),
        (
            "Care leavers are generally well supported, though this could be improved by providing more "
            "assistance to help them into employment, education or training.",
            WEAKNESS,
        ),
        (
            "Despite rising demand, strong and aspirational senior leaders have continued to improve services.",
            STRENGTH,
        ),
        # a strength told with a negation, and a weakness told in the words of a strength
        ("Derby has achieved one of the most stable social work workforces in the country.", STRENGTH),
        (
            "There is insufficient capacity across the workforce to secure a timely and appropriate response.",
            WEAKNESS,
        ),
        ("Early help services support and contribute to reducing harm for all age groups.", None),
        ("Plans are not yet specific enough.", WEAKNESS),
        ("Children in care experience exceptional care and support.", STRENGTH),
        # nothing to tell by
        ("In Portsmouth, care leavers prefer to be known as care-experienced young people.", None),
        (
            "Inspectors carried out the first part of this inspection between 30 September and 11 October 2024.",
            None,
        ),
    ],
)
def test_a_sentence_is_read_by_its_point(sentence, kind):
    assert sentence_kind(sentence) == kind


def test_however_with_no_words_of_its_own_turns_the_sentence_before_round():
    assert sentence_kind("However, this is the case for only a few children.", STRENGTH) == WEAKNESS
    assert sentence_kind("However, this is the case for only a few children.", None) is None
