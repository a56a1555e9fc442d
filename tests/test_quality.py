"""Reading quality: real words, and font codes where words should be (extract/quality.py)."""

from __future__ import annotations

import pytest

from extract.quality import (
    QualitySettings,
    is_garbled,
    notes_reason,
    page_note,
    reading_of,
    reads_worse_in_words,
    vanished,
)

FONT_CODES = "Ensure that DOOFKLOGUHQ¶VDQG\\RXQJSHRSOH¶VSODQV\x0fLQFOXGLQJSDWKZD\\SODQV, identify outcomes"


@pytest.mark.parametrize(
    "token",
    ["DOOFKLOGUHQ¶VDQG\\RXQJSHRSOH¶VSODQV\x0f", "5HGXFHVRFLDOZRUNHUV¶FDVHOoads", "FKLOG¶VWLPHVFDOH\x11"],
)
def test_font_codes_are_garbled(token):
    assert is_garbled(token)


@pytest.mark.parametrize(
    "token",
    ["children’s", "multi-agency", "LSCB", "IMPROVE?", "(CAMHS),", "2015/16", "www.gov.uk/ofsted", "S11"],
)
def test_print_is_not_garbled(token):
    assert not is_garbled(token)


def test_a_row_in_font_codes_reads_worse_than_the_same_row_in_words():
    good = reading_of(
        "Ensure that all children’s and young people’s plans, including pathway plans, identify outcomes"
    )
    bad = reading_of(FONT_CODES)
    assert (good.words, good.garbled) == (13, 0)
    assert bad.garbled == 1 and bad.words == 4
    assert reads_worse_in_words(good, bad) and not reads_worse_in_words(good, good)


def test_a_page_of_font_codes_has_a_note_and_a_page_of_words_none():
    assert page_note(3, "\n".join([FONT_CODES] * 3)) == (
        "page 3 reads as garbled text (3 runs of font codes, such as “DOOFKLOGUHQ¶VDQG\\RXQJSHR”)"
    )
    assert page_note(3, "The quality of plans for children is good. " * 20) is None
    assert page_note(4, "x " * 20, pdfium_chars=900) == "page 4 gave 20 of its 900 characters as text"


def test_settings_are_checked():
    with pytest.raises(ValueError, match="words_share is a share: give it between 0 and 1"):
        QualitySettings(words_share=1.5)


def test_a_character_gone_from_every_row_is_found():
    before = ["children’s plans", "young people’s views", "the child’s voice", "a care-leaver"]
    assert vanished(before, [t.replace("’", "") for t in before]) == ["’"]
    assert vanished(before, before[:3]) == []  # one hyphen fewer: an edit like any other


DAMAGE = "the file is damaged (a part of it cannot be read)"
NO_RECOMMENDATIONS = "no recommendations were found in this inspection report (grades Inadequate)"


@pytest.mark.parametrize(
    "pages, more", [(4, "and 1 more page like these"), (6, "and 3 more pages like these")]
)
def test_a_files_line_of_problems_names_every_note_on_the_whole_file_and_counts_the_pages_left(pages, more):
    notes = [DAMAGE] + [f"page {n} gives no text" for n in range(2, 2 + pages)] + [NO_RECOMMENDATIONS]
    reason = notes_reason(notes)
    assert reason.startswith(f"stored, but {DAMAGE}; {NO_RECOMMENDATIONS}; page 2 gives no text; ")
    assert f"; {more}: " in reason and f"page {2 + pages - 1}" not in reason


def test_a_files_line_of_problems_says_what_it_means_and_what_to_do_once():
    reason = notes_reason([DAMAGE, "page 3 gives no text"])
    assert reason.count("missing") == 1 and reason.count("damaged") == 1 and "byte" not in reason
    assert reason.endswith(
        "rows read from it may be missing or wrong; re-download the file (or re-save it from a PDF viewer) and build again"
    )
