"""Loading PDFs and text exports, and every kind of bad input a user may have."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, make_pdf

from extract import pdf as pdf_module
from extract.errors import DocumentError
from extract.load import load
from extract.textfile import clean_line

REPORT_PAGE = [
    "Plymouth City Council",
    "Inspection of children's social care services",
    "Inspection dates: 29 October 2018 to 9 November 2018",
]


def test_pdf_lines_have_pages_and_boxes(ofsted_dir):
    doc = load(ofsted_dir / "cheshire-east_2015-09-15.pdf")
    assert doc.is_pdf and doc.page_count == 49
    first = doc.lines[0]
    assert first.text == "Cheshire East Unitary Authority"
    assert first.page == 1
    x0, top, x1, bottom = first.bbox
    assert 60 < x0 < x1 < 600 and 0 < top < bottom < 842
    assert "Report published: 15 September 2015" in [line.text for line in doc.pages[0].lines]


def test_running_headers_and_page_numbers_are_removed(tmp_path):
    bodies = [
        "Leaders know their services well.",
        "Supervision is regular.",
        "Plans are clear.",
        "Care leavers are safe.",
    ]
    pages = [["Cheshire East inspection report", body, f"Page {n} of 4"] for n, body in enumerate(bodies, 1)]
    doc = load(make_pdf(tmp_path / "r.pdf", pages))
    assert [line.text for line in doc.lines] == bodies


def test_blank_page_notice_is_removed_and_remembered(tmp_path):
    path = tmp_path / "pack.txt"
    path.write_text("First paper\n\nThis page is intentionally left blank\n\nSecond paper\n")
    doc = load(path)
    assert [line.text for line in doc.lines] == ["First paper", "Second paper"]
    assert doc.breaks == (3,)


def test_words_hyphenated_across_lines_are_joined(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(
        "Managers oversee deci-\nsion making well.\nWe saw multi-agency work and multi-\nagency plans.\n"
    )
    texts = [line.text for line in load(path).lines]
    assert texts == [
        "Managers oversee decision",
        "making well.",
        "We saw multi-agency work and multi-agency",
        "plans.",
    ]


def test_form_feeds_are_pages(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("page one text\fpage two text\n")
    doc = load(path)
    assert [(line.page, line.text) for line in doc.lines] == [(1, "page one text"), (2, "page two text")]


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "There is **good quality work at the front door.** ChECS",
            ["There is good quality work at the front door. ChECS"],
        ),
        (
            "DRAFT PLAN**AREA FOR IMPROVEMENT I: Ensure workloads****OBJECTIVES:**",
            ["DRAFT PLAN", "AREA FOR IMPROVEMENT I: Ensure workloads", "OBJECTIVES:"],
        ),
        ("<i>Officer contact:</i>", ["Officer contact:"]),
        ("<ul><li>first</li><li>second</li></ul>", ["• first", "• second"]),
        ("(<https://www.sdqinfo.com/>)", ["(https://www.sdqinfo.com/)"]),
        (
            '1.1\tDo it <ul style="x"> ▪ one; ▪ two </ul>\tMarch 2015\tA Lead',
            ["1.1\tDo it ▪ one; ▪ two\tMarch 2015\tA Lead"],
        ),
    ],
)
def test_markdown_and_html_become_plain_text(raw, expected):
    assert clean_line(raw) == expected


def test_the_seeds_load_with_their_line_numbers():
    doc = load(CORPUS / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt")
    by_number = {line.number: line.text for line in doc.lines}
    assert by_number[999].startswith("Ref\t")
    assert by_number[699] == "Inspection of children's social care services"


# -- bad input: each gets one line that names the reason and what to do ---------------------


def test_html_saved_as_pdf(ofsted_dir):
    with pytest.raises(
        DocumentError, match=r"rotherham_2012-08-10\.pdf: this is an HTML web page saved with a \.pdf name"
    ):
        load(ofsted_dir / "rotherham_2012-08-10.pdf")


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt

    path = make_pdf(tmp_path / "locked.pdf", [REPORT_PAGE], encrypt=pdfencrypt.StandardEncryption("secret"))
    with pytest.raises(DocumentError, match=r"locked\.pdf: the PDF is encrypted with a password"):
        load(path)


def test_truncated_pdf(tmp_path):
    whole = make_pdf(tmp_path / "whole.pdf", [REPORT_PAGE] * 3).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(DocumentError, match=r"cut\.pdf: the PDF is damaged or truncated"):
        load(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match=r"empty\.pdf: the file is empty"):
        load(path)


def test_scanned_pdf_without_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError, match=r"scan\.pdf: the PDF has no text layer \(a scan\?\): run OCR"):
        load(path)


def test_huge_pdf(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    path = make_pdf(tmp_path / "big.pdf", [REPORT_PAGE] * 3)
    with pytest.raises(DocumentError, match=r"big\.pdf: the PDF has 3 pages, more than the 2"):
        load(path)


def test_non_utf8_text(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café report\n".encode("latin-1"))
    with pytest.raises(DocumentError, match=r"latin1\.txt: the text is not UTF-8 \(byte 0xe9 at offset 3\)"):
        load(path)


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(
        DocumentError, match=r"plan\.docx: unsupported file type \.docx: Word documents are not read"
    ):
        load(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(DocumentError, match=r"gone\.pdf: cannot be read"):
        load(Path(tmp_path / "gone.pdf"))


def test_compounds_keep_their_hyphens_across_lines(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Help is there seven-days-a-\nweek for families.\n")
    assert load(path).lines[0].text == "Help is there seven-days-a-week"


def test_headings_repeated_inside_the_page_are_content(tmp_path):
    """A heading or table header at the top of the text block on every page is not a running header."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path))
    for n in range(4):
        pdf.drawString(72, 810, "Improvement plan 2015")  # the running header, in the top margin
        pdf.drawString(72, 700, "ACTION PROGRESS MILESTONES TARGET DATE")  # a table header, in the text block
        pdf.drawString(72, 680, f"{n + 1}.1 Action number {n + 1} is different on every page {'x' * n}")
        pdf.drawString(72, 660, "2015")  # a wrapped date cell, not a page number
        pdf.showPage()
    pdf.save()
    texts = [line.text for line in load(path).lines]
    assert "Improvement plan 2015" not in texts
    assert texts.count("ACTION PROGRESS MILESTONES TARGET DATE") == 4
    assert texts.count("2015") == 4
