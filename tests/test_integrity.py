"""Damage a first build must say, with nothing stored to compare with (issue #24, the fuzzer's
silent cases): a compressed stream or a font's widths with a byte changed (extract/integrity.py),
a title whose font lost its map to Unicode, a bullet read as its font code."""

from __future__ import annotations

import base64
import sqlite3
import zlib
from pathlib import Path

import damage
import pytest
from conftest import CORPUS

from evidence.build import build
from extract.integrity import bad_syntax, damage_note, damaged_streams, lost_objects
from extract.items import is_bullet, strip_bullet
from extract.pipeline import extract_file
from extract.quality import page_note

REPORTS = sorted(CORPUS.glob("*.pdf"))


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_an_intact_report_shows_no_damage(report):
    assert damage_note(report.read_bytes()) is None


def test_an_object_zeroed_where_the_cross_reference_table_puts_it_is_found():
    # The fuzzer's seed 31 #114: a block of NULs over an image and the start of a font's
    # dictionary (NULs are white space, so the syntax is fine); pdfium did without the font,
    # spaced a judgement's words wrongly and lost another, and nothing was said.
    pdf = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    )
    offsets = [pdf.index(b"1 0 obj"), pdf.index(b"2 0 obj")]
    table = b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % at for at in offsets)
    intact = pdf + table + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % len(pdf)
    at = offsets[1]
    zeroed = intact[:at] + b"\x00" * 7 + intact[at + 7 :]  # "2 0 obj" gone, its dictionary left
    assert lost_objects(intact) == [] and bad_syntax(zeroed) == []
    assert lost_objects(zeroed) == [at] and damage_note(zeroed) is not None


def test_a_stream_that_does_not_decode_whole_is_found():
    body = zlib.compress(b"BT /F1 12 Tf (What needs to improve?) Tj ET" * 20)
    pdf = b"1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n"
    intact = pdf % (len(body), body)
    at = intact.index(b"stream\n") + 7 + len(body) // 2
    flipped = intact[:at] + bytes([intact[at] ^ 1]) + intact[at + 1 :]
    assert damaged_streams(intact) == [] and damaged_streams(flipped) == [intact.index(b"stream\n") + 7]
    cut = intact[:at] + intact[at + 40 :]
    assert damaged_streams(cut) != []


def test_words_where_pdf_syntax_should_be_are_found():
    good = b"5 0 obj\n<< /Title (2nd report: 7j1) /Widths [ 278 771 ] /Name /F1 >>\nendobj\n% 7j1 comment\n"
    assert bad_syntax(good) == []
    bad = good.replace(b"[ 278 771 ]", b"[ 278 7j1 ]")
    assert bad_syntax(bad) == [bad.index(b"7j1 ]")]


@pytest.mark.parametrize("which", [3, 10])
def test_a_report_with_a_damaged_stream_is_stored_and_said_on_a_first_build(tmp_path, which):
    """Fuzzer seed 7 #13 and the like (a flipped byte in a page's compressed text): 4 rows
    against 18, stored on a first build without a word."""
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "plymouth_2015-01-06.pdf"
    report.write_bytes(damage.in_stream((CORPUS / report.name).read_bytes(), which))
    db = tmp_path / "e.db"
    result = build([folder], db)
    ((path, reason),) = result.noted
    assert reason.startswith("stored, but the file is damaged (a part of it cannot be read)")
    assert "rows read from it may be missing or wrong" in reason and "re-download the file" in reason
    assert "byte" not in reason and reason.count("missing") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select path, reason from problems").fetchall() == [(path, reason)]


def test_a_font_whose_widths_lost_a_digit_is_said(tmp_path):
    """Fuzzer seed 1 #456 (liverpool_2026-07-07.pdf): "771" became "7j1" in a font's widths, the
    spaces after "’" went ("care leavers’offer") and as many rows were stored as before."""
    path = tmp_path / "plymouth_2024-03-15.pdf"
    path.write_bytes(damage.in_widths((CORPUS / path.name).read_bytes(), 2))
    notes = extract_file(path).notes
    assert notes[0] == "the file is damaged (a part of it cannot be read)"
    assert extract_file(CORPUS / path.name).notes == ()


@pytest.mark.parametrize(
    "title", ["Children¶s services in Islington are good", "CKLOGUHQ¶VVHUYLFHV in Dudley"]
)
def test_a_title_in_font_codes_makes_its_page_a_note(title):
    """Fuzzer seed 1 #107, #95 and others: the title's font lost its map to Unicode, one token
    of font codes on page 1, and the overall judgement under it was lost without a word."""
    page = "\n".join(
        [title, "Inspection of children’s social care services"] + ["The quality of plans."] * 40
    )
    assert page_note(1, page) is not None and page_note(1, page).startswith(
        "page 1 reads as garbled text (1 run "
    )


@pytest.mark.parametrize(
    "line", ["„ The response to homeless 16- and 17-year-olds.", "‚ Support for care leavers"]
)
def test_a_bullet_read_as_its_font_code_is_a_bullet(line):
    """Fuzzer seed 7 #54 (gloucestershire_2025-08-04.pdf): the bullet font lost its map, "◼"
    came out as 0x84 read as Windows-1252, "„", and two recommendations went without a word."""
    assert is_bullet(line) and not strip_bullet(line).startswith(("„", "‚"))
    assert not is_bullet("„Quoted“ at the start of a line")


def test_a_damaged_files_note_is_said_again_by_a_build_that_does_not_read_it(tmp_path):
    """A damaged file's note is stored on its document and said by a build that does not read
    it again (see test_notes.py), here for the damage note."""
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "plymouth_2024-03-15.pdf"
    report.write_bytes(damage.in_stream((CORPUS / report.name).read_bytes(), 4))
    db = tmp_path / "e.db"
    first = build([folder], db)
    again = build([folder], db)
    assert again.extracted == [] and again.noted == first.noted != []
    assert Path(again.noted[0][0]).name == report.name


def flate_pdf(filters: bytes, body: bytes) -> bytes:
    return b"1 0 obj\n<< /Length %d /Filter %s >>\nstream\n%s\nendstream\nendobj\n" % (
        len(body),
        filters,
        body,
    )


def test_a_stream_whose_flate_comes_after_ascii85_is_judged_by_its_whole_chain():
    """Old Ghostscript, Distiller and reportlab's pageCompression write `[ /ASCII85Decode
    /FlateDecode ]`: the stream is text, and reading it as Flate called an intact file damaged."""
    packed = zlib.compress(b"BT /F1 12 Tf (What needs to improve?) Tj ET" * 20)
    text = base64.a85encode(packed, adobe=True)[2:]  # a PDF's ASCII85 has no "<~"
    intact = flate_pdf(b"[ /ASCII85Decode /FlateDecode ]", text)
    assert damaged_streams(intact) == [] and damage_note(intact) is None
    hexed = flate_pdf(b"[/AHx /Fl]", packed.hex().encode() + b">")
    assert damaged_streams(hexed) == []
    at = intact.index(b"stream\n") + 7 + len(text) // 2
    flipped = intact[:at] + bytes([intact[at] ^ 1]) + intact[at + 1 :]
    assert damaged_streams(flipped) == [intact.index(b"stream\n") + 7]


def test_a_compressed_reportlab_pdf_shows_no_damage(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "compressed.pdf"
    page = canvas.Canvas(str(path), pageCompression=1)
    page.drawString(72, 720, "What needs to improve?")
    page.save()
    data = path.read_bytes()
    assert b"/ASCII85Decode" in data and b"/FlateDecode" in data
    assert damage_note(data) is None


@pytest.mark.parametrize("body", [b"", b"\r\n", b"  \n"])
def test_an_empty_flate_stream_is_intact(body):
    assert (
        damaged_streams(
            b"1 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n%sendstream\nendobj\n" % body
        )
        == []
    )
