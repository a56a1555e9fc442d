"""PDF tables: cells to items, continuation rows, repeated headers, stitching over page
breaks, on small hand-built tables and on tables printed with reportlab."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from pdfs import Layout, body_regions, render_table

from extract.drawn import page_drawing
from extract.errors import DocumentError
from extract.grids import GridReader
from extract.items import join
from extract.records import BBox
from extract.tables import (
    Row,
    Table,
    cell_to_items,
    open_pdf,
    pdf_to_tables,
    rounded,
    rows_on_columns,
    rows_with_continuations_joined,
    rows_without_repeated_headers,
    ruled_settings,
    same_columns,
    tables_to_stitched,
)
from extract.unruled import words_to_columns

COLUMNS = (50.0, 100.0, 250.0, 400.0, 470.0, 545.0)
HEADER = ("ACTION", "", "PROGRESS MILESTONES", "TARGET DATE", "DELIVERY LEAD")


def row(*cells: str, page: int = 1, top: float = 100.0) -> Row:
    return Row(tuple(cells), page, (50.0, top, 545.0, top + 20))


def table(*rows: Row, top: float = 100.0, columns: tuple[float, ...] = COLUMNS) -> Table:
    return Table(tuple(rows), rows[0].page, (50.0, top, 545.0, top + 20 * len(rows)), columns)


# -- cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("Develop and agree caseload\naction plan", ("Develop and agree caseload action plan",)),
        (
            "• Situation Analysis completed;\n• Consider immediate\nimplications",
            ("Situation Analysis completed;", "Consider immediate implications"),
        ),
        ("▪ Agree TOM; ▪ Agree plan; and ▪ Agree scope.", ("Agree TOM;", "Agree plan; and", "Agree scope.")),
        (
            "Analyse caseloads to identify: - reasons; - issues",
            ("Analyse caseloads to identify:", "reasons;", "issues"),
        ),
        ("March 2015\n• TBC\n• TBC", ("March 2015", "TBC", "TBC")),
        ("child-focused and multi- agency", ("child-focused and multi- agency",)),
        ("", ()),
    ],
)
def test_cell_to_items(cell: str, items: tuple[str, ...]) -> None:
    assert cell_to_items(cell) == items


# -- rows ----------------------------------------------------------------------------------


def test_continuation_rows_join_their_cells_to_the_row_above() -> None:
    rows = [
        row("6.2", "Early Help TOM", "▪ Agreed; ▪ Consulting on", "Jan 2015", "J Harwood", top=100),
        row("", "", "the TOM with partners.", "", "", top=130),
        row("6.3", "Outcomes framework", "Agreed", "Feb 2015", "L Cahill", top=150),
    ]
    joined = rows_with_continuations_joined(rows)
    assert [r.cells[0] for r in joined] == ["6.2", "6.3"]
    assert cell_to_items(joined[0].cells[2]) == ("Agreed;", "Consulting on the TOM with partners.")
    assert joined[0].bbox == (50.0, 100.0, 545.0, 150.0)


def test_a_continuation_on_the_next_page_keeps_the_first_part_page_and_box() -> None:
    first = row("1.1", "Undertake an analysis of", "▪ Done", "TBC", "A Botham", page=1, top=700)
    rest = row("", "current case loads", "", "", "", page=2, top=80)
    (joined,) = rows_with_continuations_joined([first, rest])
    assert (joined.page, joined.bbox) == (1, first.bbox)
    assert join(cell_to_items(joined.cells[1])) == "Undertake an analysis of current case loads"


def test_repeated_header_rows_are_dropped() -> None:
    header = [row("ACTION", "PROGRESS MILESTONES", "TARGET"), row("", "", "DATE")]
    first = header + [row("1.1", "a", "Jan 2015")]
    later = [row("ACTION", "PROGRESS  MILESTONES", "TARGET"), row("", "", "DATE"), row("1.2", "b", "TBC")]
    assert [r.cells[0] for r in rows_without_repeated_headers(first, later)] == ["1.2"]


def test_rows_that_do_not_repeat_the_header_are_kept() -> None:
    first = [row(*HEADER), row("1.1", "a", "b", "c", "d")]
    later = [row("", "continued", "", "", ""), row("1.2", "e", "f", "g", "h")]
    assert rows_without_repeated_headers(first, later) == later


# -- columns -------------------------------------------------------------------------------


def test_words_to_columns_finds_gutters_not_word_spaces() -> None:
    words = [
        {"x0": 50.0, "x1": 62.0},
        {"x0": 100.0, "x1": 130.0},
        {"x0": 133.0, "x1": 160.0},  # a word space (3pt) in the second column
        {"x0": 100.0, "x1": 150.0},
        {"x0": 250.0, "x1": 280.0},
    ]
    assert words_to_columns(words) == (49.0, 81.0, 205.0, 281.0)


def test_a_spanning_header_hides_a_column_edge_but_the_columns_are_the_same() -> None:
    spanned = (50.0, 250.0, 400.0, 470.0, 545.0)
    assert same_columns(spanned, COLUMNS)
    assert not same_columns(spanned, (50.0, 250.0, 420.0, 470.0, 545.0))
    assert not same_columns(COLUMNS, (50.0, 100.0, 250.0, 400.0, 470.0, 600.0))
    (moved,) = rows_on_columns([row("ACTION", "MILESTONES", "DATE", "LEAD")], spanned, COLUMNS)
    assert moved.cells == ("ACTION", "", "MILESTONES", "DATE", "LEAD")


# -- stitching -----------------------------------------------------------------------------


def test_a_table_continued_at_the_top_of_the_next_page_is_stitched() -> None:
    first = table(row(*HEADER, top=600), row("1.1", "a", "b", "c", "d", top=620), top=600)
    later = table(row(*HEADER, page=2, top=70), row("1.2", "e", "f", "g", "h", page=2, top=90), top=70)
    (whole,) = tables_to_stitched([later, first], page_tops={1: 60.0, 2: 72.0})
    assert [r.cells[0] for r in whole.rows] == ["ACTION", "1.1", "1.2"]
    assert [r.page for r in whole.rows] == [1, 1, 2]
    assert (whole.page, whole.end_page) == (1, 2)


@pytest.mark.parametrize(
    ("page", "top", "columns", "why"),
    [
        (2, 300.0, COLUMNS, "starts below other text"),
        (3, 70.0, COLUMNS, "is not on the next page"),
        (2, 70.0, (50.0, 120.0, 250.0, 400.0, 470.0, 545.0), "has other columns"),
    ],
)
def test_a_table_is_not_stitched_to_one_that(
    page: int, top: float, columns: tuple[float, ...], why: str
) -> None:
    first = table(row(*HEADER, top=600), row("1.1", "a", "b", "c", "d", top=620), top=600)
    later = table(row("2.1", "e", "f", "g", "h", page=page, top=top), top=top, columns=columns)
    assert len(tables_to_stitched([first, later], page_tops={1: 60.0, page: 70.0})) == 2, why


def test_only_the_first_table_on_a_page_continues_the_one_before() -> None:
    first = table(row(*HEADER, top=600), row("1.1", "a", "b", "c", "d", top=620), top=600)
    top_of_2 = table(row("1.2", "e", "f", "g", "h", page=2, top=70), top=70)
    lower_on_2 = table(row("2.1", "i", "j", "k", "l", page=2, top=400), top=400)
    stitched = tables_to_stitched([first, top_of_2, lower_on_2], page_tops={1: 60.0, 2: 70.0})
    assert [[r.cells[0] for r in t.rows] for t in stitched] == [["ACTION", "1.1", "1.2"], ["2.1"]]


def test_a_header_alone_at_a_page_foot_is_stitched_to_its_body() -> None:
    header_part = Table(
        (row("ACTION", "MILESTONES", "DATE", "LEAD", top=740),),
        1,
        (50, 740, 545, 760),
        (50, 250, 400, 470, 545),
    )
    body = table(row("4.1", "Arrange meeting", "▪ Held", "Feb 2015", "A Botham", page=2, top=70), top=70)
    (whole,) = tables_to_stitched([header_part, body], page_tops={2: 72.0})
    assert [r.cells for r in whole.rows] == [
        ("ACTION", "", "MILESTONES", "DATE", "LEAD"),
        ("4.1", "Arrange meeting", "▪ Held", "Feb 2015", "A Botham"),
    ]


# -- printed tables ------------------------------------------------------------------------

SMALL = [
    list(HEADER),
    ["1.1", "Undertake an analysis of current case loads to identify: - reasons for recent pressures; - issues to address", "▪ Situation Analysis completed; ▪ Consider immediate implications alongside the recent analysis", "TBC", "Alison Botham"],
    ["1.2", "Develop and agree caseload action plan", "Case Load Action Plan Agreed", "January 2015", "Children's Social Care Departmental Management Team"],
    ["1.3", "Agree framework", "▪ Agree timescale; ▪ Agree plan", "March 2015 • TBC", "IHWB Programme Manager Alison Botham"],
]  # fmt: skip


def long_rows(count: int) -> list[list[str]]:
    body = [
        [
            f"{n // 10 + 1}.{n % 10 + 1}",
            f"Action number {n} to review and agree the arrangements for the service, with partners and the board",
            f"▪ Milestone {n} agreed; ▪ Milestone {n} implemented and reviewed by the board",
            "February 2015 • March 2015",
            "Joy Howick and Siobhan Wallace",
        ]
        for n in range(count)
    ]
    return [list(HEADER)] + body


def words(cells: list[str] | tuple[str, ...]) -> str:
    return " ".join(join(cell_to_items(c)) for c in cells).replace("  ", " ").strip()


def labelled(row: Row) -> bool:
    return bool(re.match(r"\d+\.\d+\b", row.cells[0]))


def read(path: Path) -> list[Table]:
    (tables,) = pdf_to_tables(str(path), [body_regions(path)])
    return tables


@pytest.mark.parametrize("layout", [Layout(), Layout(landscape=True)], ids=["portrait", "landscape"])
def test_a_ruled_table_reads_cell_by_cell(tmp_path: Path, layout: Layout) -> None:
    (found,) = read(render_table(tmp_path / "small.pdf", SMALL, layout))
    assert found.ruled
    assert [tuple(join(cell_to_items(c)) for c in r.cells) for r in found.rows] == [
        tuple(join(cell_to_items(c)) for c in r) for r in SMALL
    ]


@pytest.mark.parametrize(
    "layout",
    [Layout(), Layout(landscape=True), Layout(repeat_header=False), Layout(split_rows=False)],
    ids=["repeated-header", "landscape", "header-once", "rows-kept-whole"],
)
def test_a_ruled_table_over_page_breaks_is_one_table(tmp_path: Path, layout: Layout) -> None:
    rows = long_rows(40)
    (found,) = read(render_table(tmp_path / "long.pdf", rows, layout, before=30))
    assert found.end_page - found.page >= 2, "the test table must run over at least two page breaks"
    whole = rows_with_continuations_joined(found.rows[1:])
    assert words(found.rows[0].cells) == words(rows[0])
    assert [words(r.cells) for r in whole] == [words(r) for r in rows[1:]]
    assert [r.page for r in whole] == sorted(r.page for r in whole)


def test_an_unruled_table_over_page_breaks_is_read_from_its_text(tmp_path: Path) -> None:
    rows = long_rows(40)
    (found,) = read(render_table(tmp_path / "unruled.pdf", rows, Layout(ruled=False)))
    assert not found.ruled
    assert found.end_page - found.page >= 2
    body = rows_with_continuations_joined(found.rows, starts_row=labelled)
    assert [words(r.cells) for r in body[1:]] == [words(r) for r in rows[1:]]
    assert sum(words(r.cells).count("PROGRESS MILESTONES") for r in body) == 1, "repeated headers are dropped"


def test_prose_after_an_unruled_table_ends_it(tmp_path: Path) -> None:
    (found,) = read(render_table(tmp_path / "prose.pdf", SMALL, Layout(ruled=False), after=3))
    body = rows_with_continuations_joined(found.rows, starts_row=labelled)
    assert [words(r.cells) for r in body[1:]] == [words(r) for r in SMALL[1:]]


def test_a_pdf_pdfplumber_cannot_open_is_a_document_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(DocumentError, match="tables cannot be read"):
        pdf_to_tables(str(broken), [[(1, (0.0, 0.0, 100.0, 100.0))]])


# -- rules read by pdfium ------------------------------------------------------------------


def plumber_grids(path: Path, number: int) -> list[tuple[BBox, tuple[tuple[BBox, ...], ...]]]:
    """The ruled tables of a page as pdfplumber finds them from its own reading of the page."""
    with open_pdf(str(path)) as pdf:
        page = pdf.pages[number - 1]
        return [
            (rounded(t.bbox), tuple(tuple(rounded(c) for c in r.cells if c) for r in t.rows))
            for t in page.find_tables(ruled_settings(page))
            if t.cells
        ]


def reader_grids(path: Path) -> dict[int, list[tuple[BBox, tuple[tuple[BBox, ...], ...]]]]:
    """Each page's ruled tables as the inspection parsers get them (rules read by pdfium)."""
    with GridReader(str(path)) as reader:
        pages = len(pypdfium2.PdfDocument(str(path)))
        return {n: [(g.bbox, g.rows) for g in reader.on(n)] for n in range(1, pages + 1) if reader.ruled(n)}


def assert_same_grids(path: Path) -> int:
    """pdfium's rules give every ruled page the tables pdfplumber finds, box for box (to the
    0.1 pt the boxes are rounded to: pdfium keeps single precision)."""
    found = reader_grids(path)
    for number, grids in found.items():
        expected = plumber_grids(path, number)
        assert [len(rows) for _, rows in grids] == [len(rows) for _, rows in expected], (path.name, number)
        for (box, rows), (want_box, want_rows) in zip(grids, expected, strict=True):
            assert box == pytest.approx(want_box, abs=0.11), (path.name, number)
            for got, want in zip(rows, want_rows, strict=True):
                assert [c for cell in got for c in cell] == pytest.approx(
                    [c for cell in want for c in cell], abs=0.11
                ), (path.name, number)
    return len(found)


@pytest.mark.parametrize("layout", [Layout(), Layout(landscape=True)], ids=["portrait", "landscape"])
def test_the_rules_pdfium_reads_give_pdfplumbers_tables(tmp_path: Path, layout: Layout) -> None:
    path = render_table(tmp_path / "long.pdf", long_rows(40), layout, before=30)
    assert assert_same_grids(path) >= 3
    assert all(reader_grids(path).values()), "every page of the table holds a grid"


def test_a_rotated_page_is_read_by_pdfplumber_itself(tmp_path: Path) -> None:
    path = render_table(tmp_path / "small.pdf", SMALL)
    pdf = pypdfium2.PdfDocument(str(path))
    pdf[0].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    pdf.save(str(rotated))
    assert page_drawing(pypdfium2.PdfDocument(str(rotated))[0]) is None
    assert assert_same_grids(rotated) == 1
    assert reader_grids(rotated)[1], "the rotated page's table is still found"


def test_the_rules_of_real_reports_give_pdfplumbers_tables(ofsted_dir: Path) -> None:
    reports = [path for path in sorted(ofsted_dir.glob("*.pdf"))[::4] if opens(path)]
    assert sum(assert_same_grids(path) for path in reports) >= 10


def opens(path: Path) -> bool:
    """Whether pdfium opens the file (the collection holds damaged copies for the fault tests)."""
    try:
        pypdfium2.PdfDocument(str(path)).close()
    except pypdfium2.PdfiumError:
        return False
    return True
