"""The Ofsted parser against real reports of every framework 2012-2025: the hand-checked
expectations in tests/expected, the seed gold's ILACS part, and the whole corpus."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from conftest import CORPUS, OFSTED, assert_printed_order, expected_reports, info_for
from conftest import EXPECTED as EXPECTED_DIR

from extract.document import Document
from extract.load import load
from extract.parsers.inspection import parse_inspection
from extract.pipeline import extract_file, parse, read
from extract.records import Finding, Judgement, Recommendation, Record, Unread
from extract.vocab import GRADES, normalise_grade

PACK = CORPUS / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt"
PACK_ILACS_LINES = (697, 819)
EXPECTED = {name: entry for name, entry in expected_reports().items() if "checked" in entry}
REPORTS = sorted(p.name for p in OFSTED.glob("*.pdf")) if OFSTED.is_dir() else []
# Not a PDF at all (an HTML page saved as .pdf): the loader rejects it.
NOT_A_REPORT = {"rotherham_2012-08-10.pdf"}
needs_corpus = pytest.mark.skipif(not OFSTED.is_dir(), reason="../shared/corpus/ofsted is not here")


@cache
def parsed(name: str) -> tuple[Document, tuple[Record, ...]]:
    """A report's records as the pipeline numbers them."""
    doc = load(OFSTED / name)
    return doc, tuple(parse(doc, info_for(doc, "inspection_report")))


def of_type(records, kind):
    return [r for r in records if isinstance(r, kind)]


def parse_text(tmp_path: Path, text: str) -> list[Record]:
    path = tmp_path / "report.txt"
    path.write_text(text)
    doc = load(path)
    return parse_inspection(doc, info_for(doc, "inspection_report"))


# --- the hand-checked expectations -------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recommendations_match_expectations(name):
    _, records = parsed(name)
    got = of_type(records, Recommendation)
    want = EXPECTED[name]["recommendations"]
    assert [(r.label, r.text) for r in got] == [(w["label"], w["text"]) for w in want]
    for r, w in zip(got, want, strict=True):
        assert (r.position, r.number, r.body, r.section, r.page) == (
            w["position"],
            w["number"],
            w["body"],
            w["section"],
            w["page"],
        ), w["text"][:60]
        assert r.sub_items == tuple(w.get("sub_items", ()))
        assert r.paragraphs == tuple(w.get("paragraphs", ()))
        assert r.theme == w.get("theme"), w["text"][:60]
        assert r.kind == "recommendation"


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_judgements_match_expectations(name):
    _, records = parsed(name)
    got = {(j.area, j.grade, j.grade_text, j.page) for j in of_type(records, Judgement)}
    want = {(w["area"], w["grade"], w["grade_as_printed"], w["page"]) for w in EXPECTED[name]["judgements"]}
    assert got == want


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_strength_lists_match_expectations(name):
    _, records = parsed(name)
    got = [(f.text, f.section, f.page) for f in of_type(records, Finding) if "strengths" in (f.section or "")]
    assert got == [(w["text"], w["section"], w["page"]) for w in EXPECTED[name]["findings"]]


@needs_corpus
def test_recommendation_precision_and_recall_over_all_expectations():
    want, got = set(), set()
    for name, entry in EXPECTED.items():
        want |= {(name, w["label"], w["text"]) for w in entry["recommendations"]}
        got |= {(name, r.label, r.text) for r in of_type(parsed(name)[1], Recommendation)}
    # measured on ../shared/corpus/ofsted (tests/expected/ofsted_2012_2017.json and
    # ofsted_2018_2025.json), extractor 0.5.0: 471 expected, 471 read, all of them right
    assert len(want) > 400
    missed, wrong = sorted(want - got), sorted(got - want)
    assert not missed and not wrong, (missed[:3], wrong[:3])


# --- the seed gold: the ILACS report inside a committee pack ------------------------------


@pytest.fixture(scope="module")
def pack_part() -> tuple[Document, list[Record]]:
    first, last = PACK_ILACS_LINES
    doc = load(PACK)
    part = doc.with_lines([line for line in doc.lines if first <= line.number <= last])
    return part, parse_inspection(part, info_for(part, "inspection_report"))


def gold_ilacs(gold, key):
    return [item for item in gold[PACK.name][key] if item.get("part") == "ilacs"]


def test_pack_part_judgements_match_gold(pack_part, gold):
    _, records = pack_part
    got = [(j.area, j.grade) for j in of_type(records, Judgement)]
    assert got == [(g["area"], g["grade"]) for g in gold_ilacs(gold, "judgements")]


def test_pack_part_what_needs_to_improve_matches_gold(pack_part, gold):
    part, records = pack_part
    want = [g for g in gold_ilacs(gold, "recommendations") if g["kind"] == "ofsted_what_needs_to_improve"]
    got = of_type(records, Recommendation)
    assert [(r.label, r.text, r.body, r.section) for r in got] == [
        (g["label"], g["text"], g["body"], g["section"]) for g in want
    ]
    assert_printed_order(part.text, [r.text for r in got])


def test_pack_part_summary_findings_match_gold(pack_part, gold):
    _, records = pack_part
    got = [(f.kind, f.text) for f in of_type(records, Finding)]
    assert got == [(g["kind"], g["text"]) for g in gold_ilacs(gold, "findings")]


# --- every real report --------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("name", [n for n in REPORTS if n not in NOT_A_REPORT])
def test_every_report_yields_judgements_and_recommendations(name):
    doc, records = parsed(name)
    judgements = of_type(records, Judgement)
    assert judgements and all(j.grade in GRADES for j in judgements)
    assert len({j.area for j in judgements}) == len(judgements)
    recommendations = of_type(records, Recommendation)
    assert recommendations
    assert_printed_order(doc.text, [r.text for r in recommendations])
    assert {r.body for r in recommendations} <= {"local authority", "safeguarding board"}


def squash(text: str) -> str:
    """Page text and record text compared on their letters and digits alone (no spacing,
    bullet glyphs, or the U+FFFE pdfium prints for a hyphen at a line end)."""
    return re.sub(r"[\W_]+", "", text)


@needs_corpus
@pytest.mark.parametrize("name", [n for n in REPORTS if n not in NOT_A_REPORT])
def test_every_record_is_found_on_its_page(name):
    doc, records = parsed(name)
    pages = {page.number: squash(" ".join(line.text for line in page.lines)) for page in doc.pages}
    for record in records:
        on_page = pages[record.page]
        if isinstance(record, Judgement):
            if record.area != "Overall effectiveness":  # printed as a sentence, not under that name
                assert squash(record.area) in on_page
            assert squash(record.grade_text or "") in on_page
        else:
            # it starts on its page, and the whole of it is printed there or runs onto the next
            assert squash(record.text)[:15] in on_page, (record.page, record.text[:60])
            assert squash(record.text) in on_page + pages.get(record.page + 1, ""), (
                record.page,
                record.text[:60],
            )
        assert record.bbox is not None and record.bbox[0] < record.bbox[2] and record.bbox[1] < record.bbox[3]


@needs_corpus
def test_the_html_page_saved_as_pdf_is_not_a_report():
    with pytest.raises(Exception, match="HTML"):
        load(OFSTED / "rotherham_2012-08-10.pdf")


@needs_corpus
def test_sub_bullets_are_appended_to_the_stem_and_kept():
    _, records = parsed("cheshire-east_2015-09-15.pdf")
    rec1 = next(r for r in of_type(records, Recommendation) if r.label == "1")
    assert rec1.text.startswith("Strengthen senior managers’ oversight and monitoring of: complex cases")
    assert rec1.sub_items[-1] == "care leavers who are homeless (paragraph 112)."
    assert rec1.paragraphs == ("36", "40", "83", "112")


@needs_corpus
def test_timescale_groups_become_timescale_and_section():
    _, records = parsed("norfolk_2013-08-16.pdf")
    recs = of_type(records, Recommendation)
    assert [r.timescale for r in recs].count("Immediately") == 6
    assert all(r.section == r.timescale and r.label is None for r in recs)
    assert not any(r.text.startswith("In order to improve") for r in recs)


@needs_corpus
def test_headline_lists_are_weaknesses_or_strengths_by_their_verdict():
    _, records = parsed("rotherham_2014-11-19.pdf")
    headline = [
        f
        for f in of_type(records, Finding)
        if f.section == "Children’s services in Rotherham are inadequate because"
    ]
    assert headline and {f.kind for f in headline} == {"weakness"}
    assert headline[0].theme == "Leadership, management and governance"


# --- small documents built by hand --------------------------------------------------------

ILACS_TEXT = """Inspection of Anytown local authority children's services
Judgement\tGrade
The impact of leaders on social work practice with children and families\tGood
The experiences and progress of children in care\tRequires Improvement
The experiences and progress of care leavers\tINADEQUATE
Overall effectiveness\tRequires improvement to be good

The previous inspection in 2016 judged services to be inadequate. Leaders have acted quickly. Plans are not yet specific enough.

What needs to improve?

- The quality of plans for children; and
- Support for care leavers.

The experiences and progress of children in care: good
1. Children are seen often.
"""


def test_a_text_export_grid_with_odd_case_grades(tmp_path):
    records = parse_text(tmp_path, ILACS_TEXT)
    assert [(j.area, j.grade) for j in of_type(records, Judgement)] == [
        ("The impact of leaders on social work practice with children and families", "Good"),
        ("The experiences and progress of children in care", "Requires improvement to be good"),
        ("The experiences and progress of care leavers", "Inadequate"),
        ("Overall effectiveness", "Requires improvement to be good"),
    ]
    assert [r.text for r in of_type(records, Recommendation)] == [
        "The quality of plans for children",
        "Support for care leavers.",
    ]


def test_narrative_about_an_earlier_inspection_is_not_a_judgement_or_finding(tmp_path):
    records = parse_text(tmp_path, ILACS_TEXT)
    assert not any("previous" in j.area.lower() for j in of_type(records, Judgement))
    assert [(f.kind, f.text) for f in of_type(records, Finding)] == [
        ("strength", "Leaders have acted quickly."),
        ("weakness", "Plans are not yet specific enough."),
    ]


def test_without_a_grid_the_graded_headings_are_the_judgements(tmp_path):
    text = ILACS_TEXT.split("Judgement\t")[0] + ILACS_TEXT.split("Requires improvement to be good\n")[1]
    text += "The impact of leaders on social work practice with children and families is\nrequires improvement to be good\n"
    records = parse_text(tmp_path, text)
    assert [(j.area, j.grade) for j in of_type(records, Judgement)] == [
        ("The experiences and progress of children in care", "Good"),
        (
            "The impact of leaders on social work practice with children and families",
            "Requires improvement to be good",
        ),
    ]


def test_pre_sif_grade_headings_when_there_is_no_record_of_main_findings(tmp_path):
    text = "Inspection of looked after children services\nCapacity to improve\nGrade 3 (adequate)\n1. The council ...\n"
    records = parse_text(tmp_path, text)
    assert [(j.area, j.grade, j.grade_text) for j in of_type(records, Judgement)] == [
        ("Capacity to improve", "Adequate", "Grade 3 (adequate)")
    ]


SIF_LSCB_TEXT = """Inspection of services for children in need of help and protection
Contents
Recommendations 8
Children's services in Anytown require improvement to be good
1. Children who need help and protection Requires improvement
2. Children looked after and achieving
permanence Good

Recommendations

1. Ensure plans are specific.
2. Improve supervision.

The Local Safeguarding Children Board is good

What does the LSCB need to improve?

Areas for improvement

147. Evaluate training.
148. Publish the annual report.

Inspection judgement about the LSCB

149. The board is well chaired.
"""


def test_numbering_runs_on_and_the_board_has_its_own_list(tmp_path):
    records = parse_text(tmp_path, SIF_LSCB_TEXT)
    recs = of_type(records, Recommendation)
    assert [(r.label, r.number, r.body, r.section) for r in recs] == [
        ("1", 1, "local authority", "Recommendations"),
        ("2", 2, "local authority", "Recommendations"),
        ("147", 147, "safeguarding board", "Areas for improvement"),
        ("148", 148, "safeguarding board", "Areas for improvement"),
    ]
    assert {(j.area, j.grade) for j in of_type(records, Judgement)} == {
        ("Overall effectiveness", "Requires improvement to be good"),
        ("Children who need help and protection", "Requires improvement to be good"),
        ("Children looked after and achieving permanence", "Good"),
        ("The Local Safeguarding Children Board", "Good"),
    }


FOCUSED_VISIT_LETTER = """Ofsted
Dear Ms Smith
Focused visit to Anytown children's services
This letter summarises the findings of the focused visit to Anytown children's services.

Areas for priority action

- Take action to ensure that children at risk are seen promptly.

Areas for improvement

Inspectors identified the following areas for improvement:

- The quality of assessments.
- Management oversight of

  plans for children in need.

Findings

The local authority has improved its front door.
"""


def test_a_focused_visit_letter_gives_its_priority_actions_and_areas_for_improvement(tmp_path):
    records = parse_text(tmp_path, FOCUSED_VISIT_LETTER)
    assert [(r.section, r.text) for r in of_type(records, Recommendation)] == [
        ("Areas for priority action", "Take action to ensure that children at risk are seen promptly."),
        ("Areas for improvement", "The quality of assessments."),
        ("Areas for improvement", "Management oversight of plans for children in need."),
    ]
    assert of_type(records, Judgement) == []


def test_a_document_that_is_not_from_ofsted_yields_nothing(tmp_path):
    assert parse_text(tmp_path, "Minutes of the committee\nRecommendations\n1. Note the report.\n") == []


@pytest.mark.parametrize(
    ("printed", "grade"),
    [
        ("Requires improvement to be good", "Requires improvement to be good"),
        ("require improvement to be good", "Requires improvement to be good"),
        ("Requires Improvement", "Requires improvement"),
        ("inadequate", "Inadequate"),
        ("Grade 4 (inadequate)", "Inadequate"),
        ("Grade 3", "Adequate"),
        ("OUTSTANDING", "Outstanding"),
        ("Good.", "Good"),
        ("not a grade", None),
    ],
)
def test_grades_are_normalised(printed, grade):
    assert normalise_grade(printed) == grade


def ruled_table_report(path: Path) -> Path:
    """An area SEND report whose priority actions are a ruled table, as Ofsted prints them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    rows = [
        ["Responsible body", "Areas for priority action"],
        [
            Paragraph("Bury Council and NHS Greater Manchester ICB", cell),
            Paragraph("Leaders across the partnership should improve the timeliness of EHC plans.", cell),
        ],
        [
            Paragraph("NHS Greater Manchester ICB", cell),
            [
                Paragraph("Leaders should reduce waiting times for:", cell),
                Paragraph("• speech and language therapy", cell),
                Paragraph("• neurodevelopmental assessments.", cell),
            ],
        ],
    ]
    table = Table(rows, colWidths=[150, 300])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [
        Paragraph("Area SEND inspection of Bury Local Area Partnership", styles["Title"]),
        Paragraph("Inspection dates: 12 to 16 February 2024", cell),
        Paragraph("Inspection outcome", styles["Heading2"]),
        Paragraph(
            "There are widespread and/or systemic failings leading to significant concerns about the "
            "experiences and outcomes of children and young people with SEND.",
            cell,
        ),
        Paragraph("Areas for priority action", styles["Heading2"]),
        table,
        Paragraph("Local area partnership details", styles["Heading2"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_a_ruled_table_of_items_is_read_a_row_an_item(tmp_path):
    pytest.importorskip("reportlab")
    records = extract_file(ruled_table_report(tmp_path / "send.pdf")).records
    items = of_type(records, Recommendation)
    assert [(r.addressed_to, r.body, r.text, r.sub_items) for r in items] == [
        (
            "Bury Council and NHS Greater Manchester ICB",
            "area partnership",
            "Leaders across the partnership should improve the timeliness of EHC plans.",
            (),
        ),
        (
            "NHS Greater Manchester ICB",
            "health",
            "Leaders should reduce waiting times for: speech and language therapy neurodevelopmental assessments.",
            ("speech and language therapy", "neurodevelopmental assessments."),
        ),
    ]
    assert all(r.section == "Areas for priority action" and r.bbox for r in items)
    [outcome] = of_type(records, Judgement)
    assert (outcome.area, outcome.grade) == ("Bury Local Area Partnership", "Significant concerns")


# --- issue #20: the reports councils get today, and no list lost in silence -----------------

NEW = OFSTED.parent / "ofsted-2025-26"
needs_new = pytest.mark.skipif(not NEW.is_dir(), reason="../shared/corpus/ofsted-2025-26 is not here")
NEW_EXPECTED = json.loads((EXPECTED_DIR / "ofsted_2025_26.json").read_text())


@needs_new
@pytest.mark.parametrize(
    "name", ["derby_2025-07-08.pdf", "rotherham_2025-12-16.pdf", "southwark_2026-05-18.pdf"]
)
def test_a_list_under_a_raised_footnote_mark_is_read(name):
    """pdfium gives the heading's footnote mark as a line of its own ("What needs to improve?"
    then "1"): the list after it was read as empty, so these reports stored no item."""
    doc = load(NEW / name)
    records = parse(doc, info_for(doc, "inspection_report"))
    want = [w["text"] for w in NEW_EXPECTED[name]["recommendations"]]
    assert [r.text for r in of_type(records, Recommendation)] == want


def with_page_footer_before(doc: Document, heading: str) -> Document:
    """`doc` with the group `heading` moved to the top of the next page and a footer the
    loader did not recognise left at the foot of the page before it, as a page break prints
    them in some 2012-13 reports."""
    lines = list(doc.lines)
    at = next(i for i, line in enumerate(lines) if line.text.strip().startswith(heading))
    page, top = lines[at].page, lines[at].bbox[1]
    moved = [
        replace(
            ln, page=ln.page + 1, bbox=(ln.bbox[0], ln.bbox[1] - top + 76, ln.bbox[2], ln.bbox[3] - top + 76)
        )
        if i >= at and ln.page == page
        else ln
        for i, ln in enumerate(lines)
    ]
    footer = replace(
        lines[at - 1], text="Inspection of looked after children services: Norfolk", bbox=(85, 790, 380, 800)
    )
    return doc.with_lines([*moved[:at], footer, *moved[at:]])


@needs_corpus
def test_timed_groups_go_on_after_a_page_footer():
    """A page footer, then "Within three months:": every group is read, not only those before it."""
    doc = load(OFSTED / "norfolk_2013-08-16.pdf")
    whole = [
        (r.timescale, r.text) for r in of_type(parse(doc, info_for(doc, "inspection_report")), Recommendation)
    ]
    broken = with_page_footer_before(doc, "Within three months")
    got = [
        (r.timescale, r.text)
        for r in of_type(parse(broken, info_for(broken, "inspection_report")), Recommendation)
    ]
    assert len(whole) == 17 and got == whole


UNREADABLE = """Inspection of Anytown local authority children's services
Judgement\tGrade
The impact of leaders on social work practice with children and families\tGood
Overall effectiveness\tGood

Leaders have acted quickly.

What needs to improve?
§ The quality of plans for children
§ Support for care leavers

The experiences and progress of children in care: good
1. Children are seen often.
"""


def test_a_known_section_read_as_empty_is_said(tmp_path):
    """A list whose items the tool cannot tell (here an unknown bullet glyph) is a section
    found and read as empty: the document says so, with the section and its page."""
    path = tmp_path / "report.txt"
    path.write_text(UNREADABLE)
    doc = load(path)
    records, info = read(doc, info_for(doc, "inspection_report"))
    assert not of_type(records, Recommendation)
    assert len(info.unread) == 1 and info.unread[0].startswith("“What needs to improve?” on page 1 was found")
    assert [(u.section, u.page) for u in parse_inspection(doc, info) if isinstance(u, Unread)] == [
        ("What needs to improve?", 1)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "What needs to improve?\nThere are no areas for improvement.\n",
        "Recommendations\nInspection findings – the Local Safeguarding Children Board\n",
    ],
)
def test_a_section_that_says_it_is_empty_is_not_unread(tmp_path, text):
    path = tmp_path / "report.txt"
    path.write_text("Inspection of Anytown local authority children's services\n" + text)
    doc = load(path)
    assert read(doc, info_for(doc, "inspection_report"))[1].unread == ()
