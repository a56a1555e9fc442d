"""Scorecard and data-table measures against the hand-checked gold of the Cheshire East pack.

The pack's scorecard (text export) and its health report's Tables 1-3 are compared row by row
with ../shared/gold/seeds.json; the scorecard is also printed as a ruled PDF table running over
page breaks, header repeated, and must give the same rows.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

import pytest
from conftest import info_for

from extract.document import Document, Line, Page
from extract.load import load
from extract.parsers import data_tables, scorecard
from extract.parsers.data_tables import caption_of, parse_data_tables
from extract.parsers.scorecard import is_period, parse_scorecard
from extract.records import DocumentInfo, Measure
from extract.registry import parsers_for

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"
PACK = ROOT / "corpus" / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

needs_gold = pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold is not beside the project")

# The scorecard's own column headings, keyed by the gold's names for them.
OTHER_COLUMNS = {
    "stat_neighbour_avg": "Stat Neigh Av",
    "national_avg": "National Av",
    "cyp_plan_priority": "C&YP Plan Priority",
    "corporate_priority": "Corporate Priority",
    "group": "group",
}
# The gold names Table 3's columns "SDQ scores: <heading>"; the table prints the heading alone
# (pack line 415: "Year end | Average score | Normal range (under 14) | ..."), so the prefix is
# the annotator's, not the document's.
GOLD_NAME_PREFIX = {"Table 3": "SDQ scores: "}


@pytest.fixture(scope="module")
def pack() -> Document:
    return load(PACK)


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    if not GOLD.exists():
        pytest.skip("../shared/gold is not beside the project")
    return json.loads(GOLD.read_text())[PACK.name]


def part(pack: Document, first: int, last: int, doc_type: str, path: str | None = None) -> tuple:
    doc = pack.with_lines([ln for ln in pack.lines if first <= ln.number <= last])
    info = DocumentInfo(
        id="t",
        path=path or str(PACK),
        sha256="x",
        doc_type=doc_type,
        pages=doc.page_count,
        extractor_version="test",
    )
    return doc, info


def gold_part(pack: Document, gold: dict[str, Any], key: str) -> tuple:
    spec = next(p for p in gold["parts"] if p["key"] == key)
    return part(pack, *spec["lines"], spec["doc_type"])


def as_row(m: Measure) -> dict[str, Any]:
    return {
        "ref": m.ref,
        "name": m.name,
        "polarity": m.polarity,
        "target": m.target,
        "values": list(m.values),
        "rag": m.rag,
    }


def gold_row(g: dict[str, Any]) -> dict[str, Any]:
    prefix = next((p for t, p in GOLD_NAME_PREFIX.items() if g["ref"].startswith(t + " ")), "")
    return {
        "ref": g["ref"],
        "name": g["name"].removeprefix(prefix),
        "polarity": g["polarity"],
        "target": g["target"],
        "values": list(g["values"].items()),
        "rag": g["rag"],
    }


def gold_measures(gold: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [g for g in gold["measures"] if g["part"] == key]


@needs_gold
def test_scorecard_rows_match_gold(pack, gold):
    doc, info = gold_part(pack, gold, "scorecard")
    measures = parse_scorecard(doc, info)
    expected = [gold_row(g) for g in gold_measures(gold, "scorecard")]
    assert len(expected) == 53
    assert [as_row(m) for m in measures] == expected


@needs_gold
def test_scorecard_other_columns_match_gold(pack, gold):
    doc, info = gold_part(pack, gold, "scorecard")
    got = [dict(m.other) for m in parse_scorecard(doc, info)]
    expected = [{OTHER_COLUMNS[k]: g[k] for k in OTHER_COLUMNS} for g in gold_measures(gold, "scorecard")]
    assert got == expected


def test_scorecard_reads_to_the_last_row(pack):
    # the export has no final newline: P5.7 is its line 1061, past the gold's part (999-1060)
    doc, info = part(pack, 999, 1061, "scorecard")
    measures = parse_scorecard(doc, info)
    assert len(measures) == 54
    assert as_row(measures[-1]) == {
        "ref": "P5.7",
        "name": "Number of cared for children offending",
        "polarity": "Low is Good",
        "target": None,
        "values": [
            ("Yr. end 18-19", None),
            ("Qu 1 19-20", "3"),
            ("Qu 2 19-20", "1"),
            ("Qu 3 19-20", None),
            ("Qu 4 19-20", None),
        ],
        "rag": "😐",
    }
    assert all(m.document_id == "t" and m.page == 1 for m in measures)


@needs_gold
def test_health_tables_match_gold(pack, gold):
    doc, info = gold_part(pack, gold, "health_annual")
    measures = parse_data_tables(doc, info)
    expected = [gold_row(g) for g in gold_measures(gold, "health_annual")]
    assert len(expected) == 8
    assert [as_row(m) for m in measures] == expected
    assert [m.table for m in measures] == ["Table 1"] * 2 + ["Table 2"] * 2 + ["Table 3"] * 4


@needs_gold
@pytest.mark.parametrize("key", ["agenda", "minutes", "health_cover", "ilacs_cover", "update_cover"])
def test_no_data_tables_in_other_parts(pack, gold, key):
    doc, info = gold_part(pack, gold, key)
    assert parse_data_tables(doc, info) == []


@pytest.mark.parametrize("path", sorted(p.name for p in (ROOT / "corpus").glob("*.txt") if p != PACK))
def test_no_data_tables_in_other_seeds(path):
    doc = load(ROOT / "corpus" / path)
    info = info_for(doc, "other")
    assert parse_data_tables(doc, info) == []
    assert parse_scorecard(doc, info) == []


def hand_document(texts: list[str]) -> Document:
    lines = tuple(Line(text, 1, n) for n, text in enumerate(texts, start=1))
    return Document("hand.txt", "x", (Page(1, lines),))


def test_captioned_prose_table_is_not_data():
    doc = hand_document(
        [
            "Table 1: Actions agreed",
            "Action\tLead\tBy when",
            "Review the escalation pathway\tHead of Service\tMarch 2020",
            "Train 40 carers\tDesignated Nurse\t2020",
        ]
    )
    info = info_for(doc, "other")
    assert parse_data_tables(doc, info) == []


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        ("Table 2", ("Table 2", "Table 2")),
        ("**Table 4:** Dental checks", ("Table 4", "Table 4: Dental checks")),
        ("Table 1 also demonstrates that children placed out of area waited longer.", None),
        ("The data in Table 1 shows", None),
    ],
)
def test_caption_of(text, caption):
    assert caption_of(Line(text, 1, 1)) == caption


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Qu 1 19-20", True),
        ("Yr. end 18-19", True),
        ("2014/2015", True),
        ("31.03.15", True),
        ("Borderline (14-17)", False),
        ("Stat Neigh Av", False),
        ("C&YP Plan Priority", False),
    ],
)
def test_is_period(text, period):
    assert is_period(text) is period


def test_parsers_are_registered():
    assert parse_scorecard in parsers_for("scorecard")
    for doc_type in ("other", "committee_report", "progress_report"):
        assert parse_data_tables in parsers_for(doc_type)


# --- the scorecard printed as a PDF -----------------------------------------------------------

# Points per column on a landscape A4 page: wide enough that no reference, figure or RAG face wraps.
PDF_WIDTHS = [34, 190, 48, 40, 44, 44, 42, 42, 42, 42, 42, 30, 110, 50]


def utf16_cmap(original):
    """reportlab 5 writes an emoji past U+FFFF into the ToUnicode map as 5 hex digits, which
    readers cannot decode; write it as the UTF-16 pair the PDF format asks for."""

    def make(fontname, subset):
        return re.sub(
            r"<([0-9A-F]{5,6})>$",
            lambda m: "<" + chr(int(m.group(1), 16)).encode("utf-16-be").hex().upper() + ">",
            original(fontname, subset),
            flags=re.M,
        )

    return make


# A page of report prose before the scorecard: it names the RAG and targets but holds no table.
COVER = (
    "6.1 The scorecard at Appendix 1 shows the RAG rating of each measure against its target. "
    "Measures P3.1, P3.2, P3.4 and P3.5 are RAG rated red; the Target for P3.17 was not met."
)


def render_scorecard(rows: list[list[str]], path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("cell", fontName="DejaVu", fontSize=6.5, leading=8)
    data = [[Paragraph(escape(c), style) if c else "" for c in row] for row in rows]
    spans = [("SPAN", (0, i), (-1, i)) for i, row in enumerate(rows) if sum(1 for c in row if c) == 1]
    table = Table(data, colWidths=PDF_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")] + spans
        )
    )
    title = Paragraph("Quarter 2 Corporate Parenting Scorecard 2019-20", style)
    cover = Paragraph(COVER, style)
    page = landscape(A4)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ttfonts, "makeToUnicodeCMap", utf16_cmap(ttfonts.makeToUnicodeCMap))
        SimpleDocTemplate(
            str(path), pagesize=page, leftMargin=20, rightMargin=20, topMargin=30, bottomMargin=30
        ).build([cover, PageBreak(), title, table])


def scorecard_rows(pack: Document, faces: bool = True) -> list[list[str]]:
    """The scorecard's printed rows, its repeated header dropped; without faces the RAG column
    is left empty."""
    rows = [ln.cells for ln in pack.lines if 999 <= ln.number <= 1061 and "\t" in ln.text]
    header = rows[0]
    rag = header.index("RAG")
    body = [r for r in rows[1:] if r != header]
    if not faces:
        body = [r[:rag] + [""] + r[rag + 1 :] for r in body]
    return [header] + body


@pytest.fixture(scope="module")
def render(pack, tmp_path_factory):
    pytest.importorskip("reportlab")
    if not FONT.exists():
        pytest.skip("DejaVu Sans (for the RAG faces) is not installed")

    def make(faces: bool) -> Path:
        path = tmp_path_factory.mktemp("scorecard") / "scorecard.pdf"
        render_scorecard(scorecard_rows(pack, faces), path)
        return path

    return make


@pytest.fixture(scope="module")
def scorecard_pdf(render) -> Path:
    return render(True)


def pdf_measures(path: Path, doc_type: str = "scorecard") -> tuple[Document, list[Measure]]:
    doc = load(path)
    info = info_for(doc, doc_type)
    return doc, parse_scorecard(doc, info)


@pytest.fixture(scope="module")
def scorecard_read(scorecard_pdf) -> tuple[Document, list[Measure]]:
    """The scorecard PDF loaded and parsed once, for the tests that only read its measures."""
    return pdf_measures(scorecard_pdf)


def test_scorecard_pdf_gives_the_text_rows(pack, scorecard_read):
    doc, from_pdf = scorecard_read
    assert doc.page_count > 2
    text, text_info = part(pack, 999, 1061, "scorecard")
    from_text = parse_scorecard(text, text_info)
    assert [as_row(m) for m in from_pdf] == [as_row(m) for m in from_text]
    assert [dict(m.other) for m in from_pdf] == [dict(m.other) for m in from_text]
    assert {m.page for m in from_pdf} == set(range(2, doc.page_count + 1))


def test_scorecard_pdf_rows_have_boxes(render):
    doc, measures = pdf_measures(render(False))
    assert len(measures) == 54
    assert all(m.rag is None for m in measures)
    for m in measures:
        assert m.bbox is not None, m.ref
        page = doc.pages[m.page - 1]
        boxed = [ln for ln in page.lines if ln.bbox == m.bbox]
        assert boxed and boxed[0].text.startswith(f"{m.ref} "), m.ref


def test_scorecard_pdf_rows_with_faces_have_boxes(scorecard_read):
    _, measures = scorecard_read
    assert all(m.bbox is not None for m in measures)


@needs_gold
def test_scorecard_pdf_matches_gold(gold, scorecard_pdf):
    doc = load(scorecard_pdf)
    info = info_for(doc, "scorecard")
    expected = [gold_row(g) for g in gold_measures(gold, "scorecard")]
    assert [as_row(m) for m in parse_scorecard(doc, info)][: len(expected)] == expected


def test_pdf_without_captions_is_not_searched_for_tables(scorecard_pdf, monkeypatch):
    def refuse(path, page):
        raise AssertionError("pdfplumber asked for tables of a document with no captions")

    monkeypatch.setattr(data_tables, "page_tables", refuse)
    doc = load(scorecard_pdf)
    info = info_for(doc, "other")
    assert parse_data_tables(doc, info) == []


def test_scorecard_pages_only_are_searched(pack, scorecard_pdf, monkeypatch):
    asked: list[int] = []
    original = scorecard.page_tables

    def record(path, page):
        asked.append(page)
        return original(path, page)

    monkeypatch.setattr(scorecard, "page_tables", record)
    doc = load(scorecard_pdf)
    prose = load(PACK)  # a text export never goes to pdfplumber
    info = info_for(doc, "scorecard")
    parse_scorecard(prose, info)
    assert asked == []
    parse_scorecard(doc, info)
    assert asked == list(range(2, doc.page_count + 1))


# --- the health report's tables printed as a PDF ----------------------------------------------


def render_health_tables(pack: Document, path: Path) -> None:
    """Tables 1-3 under their captions, each after the paragraph that cites it; Table 1's name
    cells span their two year rows, as the report prints them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("cell", fontName="DejaVu", fontSize=8, leading=10)
    story: list[Any] = []
    lines = [ln for ln in pack.lines if 374 <= ln.number <= 420]
    for index, line in enumerate(lines):
        if "\t" in line.text:
            continue
        story.append(Paragraph(escape(line.text.replace("**", "")), style))
        rows = []
        for row in lines[index + 1 :]:
            if "\t" not in row.text:
                break
            rows.append(row.cells)
        if not rows:
            continue
        spans = [
            ("SPAN", (0, i), (0, i + 1)) for i in range(1, len(rows) - 1) if rows[i][0] and not rows[i + 1][0]
        ]
        data = [[Paragraph(escape(c), style) if c else "" for c in row] for row in rows]
        widths = [200, 63, 60, 60, 60, 60] if len(rows[0]) == 6 else None
        table = Table(data, colWidths=widths)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]))
        story += [table, Spacer(1, 12)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=36, rightMargin=36).build(story)


@needs_gold
def test_health_tables_pdf_match_gold(pack, gold, tmp_path):
    pytest.importorskip("reportlab")
    if not FONT.exists():
        pytest.skip("DejaVu Sans (for the trend arrows) is not installed")
    path = tmp_path / "health.pdf"
    render_health_tables(pack, path)
    doc = load(path)
    info = info_for(doc, "other")
    measures = parse_data_tables(doc, info)
    assert [as_row(m) for m in measures] == [gold_row(g) for g in gold_measures(gold, "health_annual")]
    assert all(m.bbox is not None for m in measures)
    # Table 3's caption is left at the foot of page 1 and its table starts page 2
    assert {m.page for m in measures if m.table == "Table 3"} == {2}
