"""The paragraph model the committee, progress and peer review parsers share: paragraph
breaks in PDFs and exports, labels, bullets, sentences, list items and blocks."""

from __future__ import annotations

import re

import pytest

from extract.blocks import (
    PARAGRAPH_LABELS,
    RESTATED_LABELS,
    ListItem,
    cell_bullets,
    ends_sentence,
    gap_between,
    is_child,
    last_sentence,
    lines_to_blocks,
    list_items,
    paragraph_at,
    same_style,
    sentences_of,
    space_between,
    split_label,
    split_sentences,
    strip_bullets,
)
from extract.document import Line


def pdf_line(text: str, top: float, left: float = 72.0, page: int = 1, number: int = 1) -> Line:
    """A PDF line of 10pt text."""
    return Line(text, page, number, (left, top, left + 400.0, top + 10.0))


@pytest.mark.parametrize(
    ("lower", "gap"),
    [
        (pdf_line("wrapped on", 113.0), False),  # leading of 0.3 of the height
        (pdf_line("a new paragraph", 118.0), True),  # 0.8 of the height
        (pdf_line("a bullet's hanging indent", 113.0, left=90.0), False),
        (pdf_line("the next column of a table", 113.0, left=300.0), True),
        (pdf_line("the top of the next column", 50.0), True),
        (pdf_line("the next page", 113.0, page=2), True),
    ],
)
def test_gap_between_pdf_lines(lower: Line, gap: bool) -> None:
    assert gap_between(pdf_line("A paragraph's first line", 100.0), lower) is gap


def test_an_export_prints_a_paragraph_per_line() -> None:
    upper, lower = Line("One paragraph.", 1, 1), Line("Another on the next line.", 1, 2)
    assert gap_between(upper, lower)
    # blank space is another matter: only a blank line (or a page break) is space in an export
    assert not space_between(upper, lower)
    assert space_between(upper, Line("After a blank line.", 1, 3))
    assert space_between(upper, Line("On the next page.", 2, 2))


def test_space_between_ignores_columns() -> None:
    upper = pdf_line("A paragraph's first line", 100.0)
    assert not space_between(upper, pdf_line("the next column", 113.0, left=300.0))


def test_paragraph_at_ends_a_lead_in_at_its_colon() -> None:
    lines = [
        pdf_line("Some words before.", 80.0),
        pdf_line("The council agreed the following key", 100.0),
        pdf_line("priorities:", 113.0),
        pdf_line("• Early help", 126.0),
    ]
    assert paragraph_at(lines, 1) == (1, 2)
    assert paragraph_at(lines, 2) == (1, 2)
    assert paragraph_at(lines, 3) == (3, 3)


# A committee report numbers its paragraphs; a progress report restates an inspection's labels.
PARAGRAPH, RESTATED = PARAGRAPH_LABELS, RESTATED_LABELS


@pytest.mark.parametrize(
    ("labels", "text", "label", "rest"),
    [
        (PARAGRAPH, "2.1 In March 2019 Ofsted judged", "2.1", "In March 2019 Ofsted judged"),
        (PARAGRAPH, "5.10.3 The plan", "5.10.3", "The plan"),
        (PARAGRAPH, "(a) notes the report", "a", "notes the report"),
        (PARAGRAPH, "iv) approves the plan", "iv", "approves the plan"),
        (PARAGRAPH, "14 children were seen", "14", "children were seen"),
        (PARAGRAPH, "Background", None, "Background"),
        (RESTATED, "14. Ensure that plans", "14", "Ensure that plans"),
        (RESTATED, "151: The LSCB should", "151", "The LSCB should"),
        (RESTATED, "152a: Evaluate", "152a", "Evaluate"),
        (RESTATED, "3) Improve", "3", "Improve"),
        # a bare number opens a sentence, not a restated recommendation
        (RESTATED, "14 children were seen", None, "14 children were seen"),
        (RESTATED, "2.1 In March", None, "2.1 In March"),
    ],
)
def test_split_label(labels: tuple[re.Pattern[str], ...], text: str, label: str | None, rest: str) -> None:
    assert split_label(text, labels) == (label, rest)


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("- o Reviewing the plan", "Reviewing the plan"),
        ("• Managers know their services", "Managers know their services"),
        ("\uf0b7 Children are seen", "Children are seen"),
        ("Not a bullet", "Not a bullet"),
    ],
)
def test_strip_bullets_drops_stacked_glyphs(text: str, stripped: str) -> None:
    assert strip_bullets(text) == stripped


def test_cell_bullets_keeps_the_head_apart_and_splits_glued_glyphs() -> None:
    head, bullets = cell_bullets("the end of a cut bullet. • Good practice.• A strong offer •")
    assert head == "the end of a cut bullet."
    assert bullets == ["Good practice.", "A strong offer"]
    assert cell_bullets("• Only one") == ("", ["Only one"])


def test_sentences() -> None:
    text = "Timeliness has improved. (Figures are in table 2). ‘Voice’ matters. it goes on e.g. here"
    assert split_sentences(text) == [
        "Timeliness has improved.",
        "(Figures are in table 2).",
        "‘Voice’ matters. it goes on e.g. here",
    ]
    assert (
        last_sentence("We met. The LSCB has agreed four key priorities:")
        == "The LSCB has agreed four key priorities:"
    )
    assert ends_sentence("as the report says.”") and not ends_sentence("the key priorities:")


def test_sentences_of_lines_keep_their_lines() -> None:
    lines = [
        Line("Audits show good practice. Timeliness", 3, 1),
        Line("• a bullet is not prose", 3, 2),
        Line("has improved to 88%.", 3, 3),
    ]
    got = [(s, [ln.number for ln in on]) for s, on in sentences_of(lines)]
    assert got == [("Audits show good practice.", [1]), ("Timeliness has improved to 88%.", [1, 3])]


def test_list_item_text_sub_items_and_state() -> None:
    first = Line("14. Ensure that:", 1, 1)
    item = ListItem(["Ensure that:"], [first], label="14")
    assert item.expects_subs and not item.finished
    item.sub("plans are reviewed; and", Line("- plans are reviewed; and", 1, 2))
    item.sub("children are seen", Line("- children are seen", 1, 3))
    item.add("alone.", Line("alone.", 1, 4))
    assert item.sub_items == ("plans are reviewed", "children are seen alone.")
    assert item.text == "Ensure that: plans are reviewed children are seen alone."
    assert item.finished and [ln.number for ln in item.lines] == [1, 2, 3, 4]


EXPORT = [
    "1. Recommendations",
    "1.1 The Committee is asked to:",
    "(a) note the report; and",
    "(b) approve the plan.",
    "",
    "Areas for development",
    "- Timeliness of assessments",
    "- Supervision",
    "Theme\tGrade",
    "2.1 The plan was agreed in March and the",
    "first review is due in June.",
    "A paragraph after a finished sentence",
    "",
    "After a blank line.",
]


def test_export_lines_to_blocks() -> None:
    blocks = lines_to_blocks([Line(t, 1, n) for n, t in enumerate(EXPORT, 1)])
    assert [(b.label, b.body, b.bullet, b.row) for b in blocks] == [
        ("1", "Recommendations", False, False),
        ("1.1", "The Committee is asked to:", False, False),
        ("a", "note the report; and", False, False),
        ("b", "approve the plan.", False, False),
        (None, "Areas for development", False, False),
        (None, "Timeliness of assessments", True, False),
        (None, "Supervision", True, False),
        (None, "Theme\tGrade", False, True),
        # a page break splits an export's paragraph; only a blank line parts two paragraphs
        (
            "2.1",
            "The plan was agreed in March and the first review is due in June. A paragraph after a finished sentence",
            False,
            False,
        ),
        (None, "After a blank line.", False, False),
    ]
    assert blocks[0].printed == "1. Recommendations" and blocks[0].is_heading
    assert blocks[5].printed == "Timeliness of assessments"
    assert [b.body for b in list_items(blocks, 2)] == ["note the report; and", "approve the plan."]
    assert [b.body for b in list_items(blocks, 5)] == ["Timeliness of assessments", "Supervision"]
    assert list_items(blocks, 4) == []


@pytest.mark.parametrize(
    ("label", "first", "same"),
    [
        ("b", "a", True),
        ("iv", "i", True),
        ("2", "a", False),
        ("2.1.2", "2.1.1", True),
        ("2.2.1", "2.1.1", False),
        ("2.1", "2.1.1", False),
        ("3", "1", True),
        (None, None, True),
        ("1", None, False),
    ],
)
def test_same_style(label: str | None, first: str | None, same: bool) -> None:
    assert same_style(label, first) is same


def test_is_child() -> None:
    assert is_child("2.2.1", "2.2") and is_child("2.1", "2.")
    assert not is_child("2.21", "2.2") and not is_child(None, "2") and not is_child("2.1", None)
