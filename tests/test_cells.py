"""A table cell's text, from a PDF, from an export's markup, and as printed."""

from __future__ import annotations

import pytest

from extract.cells import export_cell, pdf_cell, printed_cell


def test_a_pdf_cell_gets_its_unmapped_bullets_back() -> None:
    assert pdf_cell("(cid:127) Agree TOM;\n  plan; and \n\n(cid:127) TBC") == "• Agree TOM;\nplan; and\n• TBC"
    assert pdf_cell(None) == ""


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("<ul><li>Agree plan</li><li>Review it</li></ul>", "• Agree plan • Review it"),
        ("Held<br/>Agreed", "Held • Agreed"),
        ("<p>Held</p> <p>Agreed</p>", "Held • Agreed"),
        ("**Lead:** Head of Service &amp; IRO", "Lead: Head of Service & IRO"),
    ],
    ids=["list items", "line break", "paragraphs", "bold and entities"],
)
def test_an_export_cell_loses_its_markup_and_keeps_its_items(cell: str, text: str) -> None:
    assert export_cell(cell) == text


@pytest.mark.parametrize(
    ("cell", "text"),
    [("  87.5%\n(Q2) ", "87.5% (Q2)"), ("", None), (" \n ", None), (None, None)],
    ids=["wrapped", "empty", "blank", "missing"],
)
def test_a_printed_cell_is_its_words_or_none(cell: str | None, text: str | None) -> None:
    assert printed_cell(cell) == text
