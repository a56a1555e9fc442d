"""The improvement-plan parser: the Plymouth draft plan against the hand-checked gold, and
the same plan printed as PDFs (ruled, unruled, landscape, headers repeated or not, rows
broken over pages) giving the same areas and actions as its text export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from conftest import info_for
from pdfs import Layout, render_plan

from extract import tables
from extract.document import Document, Line, Page
from extract.load import load
from extract.parsers.plan import (
    is_header,
    items_with_sub_items,
    lines_to_sections,
    parse_plan,
    roman_or_number,
)
from extract.parsers.plan_cells import date_cell_to_dates, items_to_milestones, lead_to_names, run_to_parts
from extract.pipeline import read
from extract.records import Action, Milestone, Recommendation, Record
from extract.tables import lines_to_regions, pdf_to_tables

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PLAN = ROOT / "corpus" / "plymouth_2015-01-06_draft-improvement-plan.txt"
GOLD_FILE = SHARED / "gold" / "seeds.json"
GOLD = (
    json.loads(GOLD_FILE.read_text())[PLAN.name]
    if GOLD_FILE.exists()
    else {"actions": [], "recommendations": []}
)
needs_gold = pytest.mark.skipif(not GOLD_FILE.exists(), reason="needs ../shared/gold/seeds.json")

LAYOUTS = {
    "ruled": Layout(),
    "landscape": Layout(landscape=True),
    "unruled": Layout(ruled=False),
    "header-once": Layout(repeat_header=False),
    "rows-kept-whole": Layout(split_rows=False),
}


def parse(doc: Document) -> list[Record]:
    return list(parse_plan(doc, info_for(doc, "improvement_plan")))


def actions(records: list[Record]) -> list[Action]:
    return [r for r in records if isinstance(r, Action)]


def areas(records: list[Record]) -> list[Recommendation]:
    return [r for r in records if isinstance(r, Recommendation)]


def unplaced(record: Record) -> Record:
    """A record without where it is printed: a PDF and a text export differ only there."""
    return replace(record, page=0, bbox=None)


@pytest.fixture(scope="module")
def text_records() -> list[Record]:
    return parse(load(PLAN))


# -- the text export against the gold ------------------------------------------------------


@needs_gold
def test_every_area_and_action_is_read_in_order(text_records: list[Record]) -> None:
    assert [a.label for a in areas(text_records)] == [r["label"] for r in GOLD["recommendations"]]
    assert [a.label for a in actions(text_records)] == [a["label"] for a in GOLD["actions"]]
    assert len(areas(text_records)) == 17 and len(actions(text_records)) == 48


@pytest.mark.parametrize("gold", GOLD["actions"], ids=lambda g: g["label"])
def test_action_matches_the_gold(text_records: list[Record], gold: dict) -> None:
    (action,) = [a for a in actions(text_records) if a.label == gold["label"]]
    assert action.area_label == gold["area"]
    assert action.text == gold["text"]
    assert [m.text for m in action.milestones] == gold["milestones"]
    # every printed date is paired, in order, with a milestone
    assert [{"text": m.date_text, "iso": m.date} for m in action.milestones if m.date_text] == gold[
        "target_dates"
    ]
    assert (action.target_date_text, action.target_date) == (gold["target_date_text"], gold["target_date"])
    assert (action.lead, list(action.leads)) == (gold["lead"], gold["leads"])
    assert action.page == 1 and action.document_id == "t"


@pytest.mark.parametrize("gold", GOLD["recommendations"], ids=lambda g: g["id"])
def test_area_matches_the_gold(text_records: list[Record], gold: dict) -> None:
    (area,) = [a for a in areas(text_records) if a.label == gold["label"]]
    assert (area.kind, area.number, area.section) == ("plan_area", gold["number"], gold["section"])
    assert area.text == gold["text"]
    assert list(area.objectives) == gold["plan_objectives"]
    assert list(area.outcomes) == gold["plan_outcomes"]
    assert list(area.measured_by) == gold["plan_measured_by"]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "corpus").glob("*.txt") if p != PLAN))
def test_other_documents_give_nothing(name: str) -> None:
    assert parse(load(ROOT / "corpus" / name)) == []


def test_numbered_paragraphs_of_a_pdf_are_not_action_rows() -> None:
    texts = [
        "2.1 Adoption performance Good",
        "2.2 Experiences of care leavers Inadequate",
        "31.03.15 98% 86%",
    ]
    lines = tuple(
        Line(t, 1, i + 1, (50.0, 100.0 + 12 * i, 400.0, 110.0 + 12 * i)) for i, t in enumerate(texts)
    )
    doc = Document("report.pdf", "x", (Page(1, lines, 595.0, 842.0),), is_pdf=True)
    assert parse(doc) == []


# -- cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "dates"),
    [
        ("March 2015 TBC TBC", [("March 2015", "2015-03-01"), ("TBC", None), ("TBC", None)]),
        ("Dec 2014 Jan 2015", [("Dec 2014", "2014-12-01"), ("Jan 2015", "2015-01-01")]),
        ("6th March 2015 - tbc", [("6th March 2015", "2015-03-06"), ("tbc", None)]),
        (
            "First report June 2015 and then quarterly",
            [("First report June 2015 and then quarterly", "2015-06-01")],
        ),
        ("January Board to agree target dates.", [("January Board to agree target dates.", None)]),
        ("", []),
    ],
)
def test_date_cell_to_dates(cell: str, dates: list[tuple[str, str | None]]) -> None:
    assert date_cell_to_dates(cell) == dates


@pytest.mark.parametrize(
    ("run", "count", "parts"),
    [
        (
            "Target operating model agreed. TOM implemented",
            2,
            ["Target operating model agreed.", "TOM implemented"],
        ),
        (
            "Pledge agreed Pledge implemented and monitoring in place",
            2,
            ["Pledge agreed", "Pledge implemented and monitoring in place"],
        ),
        ("Plan agreed with NHS England and the CCG", 2, ["Plan agreed with NHS England and the CCG"]),
    ],
)
def test_a_run_carrying_several_dates_is_cut_only_where_it_clearly_breaks(
    run: str, count: int, parts: list[str]
) -> None:
    assert run_to_parts(run, count) == parts


def test_milestones_pair_with_dates_in_order() -> None:
    dates = [("February 2015", "2015-02-01"), ("March 2015", "2015-03-01")]
    assert items_to_milestones(["Meeting held;", "Plan agreed; and", "Plan implemented."], dates) == (
        Milestone("Meeting held", "February 2015", "2015-02-01"),
        Milestone("Plan agreed", "March 2015", "2015-03-01"),
        Milestone("Plan implemented."),
    )


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        ("Joy Howick and Siobhan Wallace", ["Joy Howick", "Siobhan Wallace"]),
        ("IHWB Programme Manager Alison Botham", ["IHWB Programme Manager", "Alison Botham"]),
        ("Chair of PSCB Partner Agency Leads", ["Chair of PSCB", "Partner Agency Leads"]),
        ("Head of Service Alison Botham", ["Head of Service", "Alison Botham"]),
        ("Jo Siney, Liz Cahill & Anne Osborne", ["Jo Siney", "Liz Cahill", "Anne Osborne"]),
        (
            "Children's Social Care Departmental Management Team",
            ["Children's Social Care Departmental Management Team"],
        ),
        ("IHWB Transformation programme manager", ["IHWB Transformation programme manager"]),
        ("Lead Officer DELT", ["Lead Officer DELT"]),
        ("Service Manager Children in Care", ["Service Manager Children in Care"]),
        ("Chair of Health and Wellbeing Board", ["Chair of Health and Wellbeing Board"]),
        ("TBC", ["TBC"]),
    ],
)
def test_lead_to_names(cell: str, leads: list[str]) -> None:
    assert lead_to_names(cell) == leads


def test_sub_items_join_the_item_they_follow() -> None:
    raw = [
        "Improved attainment;",
        "Safeguards through:",
        "Less misuse;",
        "Less abuse; and",
        "Better parenting;",
        "Health; and",
        "Less risk.",
    ]
    assert items_with_sub_items(raw) == (
        "Improved attainment",
        "Safeguards through: Less misuse; Less abuse; Better parenting",
        "Health",
        "Less risk.",
    )


@pytest.mark.parametrize(("printed", "number"), [("I", 1), ("iv", 4), ("XII", 12), ("17", 17)])
def test_area_numbers_may_be_roman(printed: str, number: int) -> None:
    assert roman_or_number(printed) == number


def test_prose_naming_milestones_and_dates_is_not_a_table_header() -> None:
    doc = load(PLAN)
    intro = [i for i, line in enumerate(doc.lines) if "target milestones and target dates" in line.text]
    assert intro and not any(is_header(doc.lines, i) for i in intro)


# -- PDFs of the plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """A PDF of the plan in one layout, loaded and parsed once for every test of the module."""

    path: Path
    doc: Document
    records: list[Record]


@pytest.fixture(scope="module", autouse=True)
def pdfs_opened_once() -> Iterator[None]:
    """Each PDF opened by pdfplumber once for the module. pdfplumber lays a page out once per
    opening (a twentieth of a second a page), and a plan's parse, the header-less parse, the
    tables and the words tests read the same pages: the parser runs as it does in a build,
    only the opened PDF is shared."""
    opened: dict[str, Any] = {}
    real_open = tables.open_pdf

    def open_once(path: str) -> Any:
        if path not in opened:
            opened[path] = real_open(path)
        return nullcontext(opened[path])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "open_pdf", open_once)
        yield
    for pdf in opened.values():
        pdf.close()


@pytest.fixture(scope="module", params=list(LAYOUTS), ids=list(LAYOUTS))
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    path = render_plan(
        PLAN, tmp_path_factory.mktemp("plans") / f"{request.param}.pdf", LAYOUTS[request.param]
    )
    doc = load(path)
    return Printed(path, doc, parse(doc))


def test_a_pdf_of_the_plan_gives_the_actions_of_its_text(
    printed: Printed, text_records: list[Record]
) -> None:
    assert [unplaced(a) for a in actions(printed.records)] == [unplaced(a) for a in actions(text_records)]


def test_a_pdf_of_the_plan_gives_the_areas_of_its_text(printed: Printed, text_records: list[Record]) -> None:
    assert [unplaced(a) for a in areas(printed.records)] == [unplaced(a) for a in areas(text_records)]


def words_in(words: list[dict], bbox: tuple[float, float, float, float]) -> str:
    """The words pdfplumber reads inside a box, line by line as `extract_text` orders them."""
    x0, top, x1, bottom = bbox
    inside = [
        w
        for w in words
        if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom
    ]
    lines: list[list[dict]] = []
    for word in sorted(inside, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w["text"] for line in lines for w in sorted(line, key=lambda w: w["x0"]))


def test_pdf_records_point_at_where_they_are_printed(printed: Printed) -> None:
    records: list[Action | Recommendation] = [*areas(printed.records), *actions(printed.records)]
    with tables.open_pdf(str(printed.path)) as pdf:
        words = {n: page.extract_words() for n, page in enumerate(pdf.pages, start=1)}
    for record in records:
        # an action's box starts with its number, an area's with its heading
        expected = record.label if isinstance(record, Action) else record.section
        assert record.bbox is not None and expected, record
        shown = words_in(words[record.page], record.bbox)
        assert shown.startswith(expected), (record.label, record.page, shown[:60])


def test_the_pdfs_break_tables_and_rows_over_pages(printed: Printed) -> None:
    """The PDF tests are worth something only if the PDFs break tables over pages."""
    path, doc = printed.path, printed.doc
    _, zones = lines_to_sections(doc.lines)
    found = pdf_to_tables(str(path), [lines_to_regions(doc, lines) for _, lines in zones])
    tables = [t for ts in found for t in ts]
    assert any(t.end_page > t.page for t in tables)
    if LAYOUTS[path.stem].split_rows:
        assert any(not r.cells[0] and r.page > t.page for t in tables for r in t.rows), (
            "no row runs over a page"
        )


def test_a_plan_whose_table_headers_went_as_furniture_reads_the_same(
    printed: Printed, text_records: list[Record]
) -> None:
    """A loader may drop a header row repeated at page tops: the tables still read."""
    doc = printed.doc
    lines = doc.lines
    headless = doc.with_lines(line for i, line in enumerate(lines) if not is_header(lines, i))
    assert len(headless.lines) < len(lines)
    assert [unplaced(a) for a in actions(parse(headless))] == [unplaced(a) for a in actions(text_records)]


def test_a_label_cell_with_a_line_joined_below_is_still_an_action(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "IMPROVEMENT PLAN\nAREA FOR IMPROVEMENT 7: Improve supervision\n"
        "ACTION\tMILESTONES\tTARGET DATE\tLEAD\n7\ta\nb\tc\n"
    )
    from extract.pipeline import extract_file
    from extract.records import Action

    actions = [r for r in extract_file(path).records if isinstance(r, Action)]
    assert [(a.label, a.text) for a in actions] == [("7", "b")]


def test_an_action_table_read_as_empty_is_said(tmp_path):
    """Issue #20: a table's header found and no action read under it is a section read as
    empty, which the build lists in `problems`."""
    path = tmp_path / "plan.txt"
    path.write_text(
        "Plymouth City Council Children's Social Care Improvement Plan\n\n"
        "AREA FOR IMPROVEMENT 1: Improve management oversight\n"
        "ACTION\tPROGRESS MILESTONES\tTARGET DATE\tDELIVERY LEAD\n"
        "(see the appendix)\n"
    )
    doc = load(path)
    records, info = read(doc, info_for(doc, "improvement_plan"))
    assert [r.text for r in records] == ["Improve management oversight"]
    assert info.unread == (
        "“action table (area 1)” on page 1 was found but no item was read from it: check that page "
        "(a layout the tool does not know) and please report this file",
    )
