"""Reading quality: real words, and font codes where words should be (extract/quality.py)."""

from __future__ import annotations

import pytest

from extract.quality import QualitySettings, is_garbled, page_note, reading_of, reads_worse_in_words, vanished

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
