"""Classification of the seeds and of every real Ofsted report, against hand-checked values."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import CORPUS, OFSTED, expected_reports

from extract.classify import classify, detect_framework
from extract.errors import DocumentError
from extract.load import load
from extract.pipeline import extract_file, make_info, read
from extract.records import DocumentInfo, Recommendation

SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))
REPORTS = {name: entry for name, entry in expected_reports().items() if "reject" not in entry}


@pytest.mark.parametrize("name", SEEDS)
def test_seed_is_classified_as_the_gold_says(name, gold):
    expected = gold[name]
    found = extract_file(CORPUS / name).documents[0]
    assert (found.doc_type, found.authority, found.date) == (
        expected["doc_type"],
        expected["authority"],
        expected["date"],
    )


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_real_report_is_classified(name, ofsted_dir):
    expected = REPORTS[name]
    found = classify(load(ofsted_dir / name))
    assert (found.doc_type, found.authority, found.date, found.framework) == (
        expected["doc_type"],
        expected["authority"],
        expected["date"],
        expected["framework"],
    )


def test_every_real_report_has_expectations(ofsted_dir):
    """So that a report added to ../shared is not silently left out of the test above."""
    assert {p.name for p in OFSTED.glob("*.pdf")} <= set(expected_reports())


def test_pack_is_split_into_its_papers(gold):
    name = "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt"
    documents = extract_file(CORPUS / name).documents
    pack, parts = documents[0], documents[1:]
    assert pack.doc_type == "committee_pack" and pack.parent_id is None
    assert all(p.parent_id == pack.id for p in parts)
    expected = [p for p in gold[name]["parts"] if p["key"] != "agenda"]  # the agenda is the pack's own row
    assert [(p.doc_type, p.date) for p in parts] == [(p["doc_type"], p["date"]) for p in expected]
    # each paper starts within a few lines of where the gold starts it (headers lead by a line or two)
    for found, want in zip(parts, expected, strict=True):
        assert abs(found.first_line - want["lines"][0]) <= 3, want["key"]
    ilacs = next(p for p in parts if p.doc_type == "inspection_report")
    assert (ilacs.framework, ilacs.authority, ilacs.date) == ("ILACS", "Cheshire East", "2020-01-09")


@pytest.mark.parametrize(
    "cover, framework",
    [
        ("Cheshire East Council\nInspection of children’s social care services", "ILACS"),
        ("Inspection of Dudley local authority\nchildren’s services", "ILACS"),
        ("Inspection of services for children in need of help and\nprotection, children looked after", "SIF"),
        ("Inspection of looked after children\nservices\nNorfolk County Council", "pre-SIF"),
        ("Focused visit to Leeds local authority children’s services", "focused visit"),
        ("Joint targeted area inspection of the multi-agency response", "JTAI"),
        # a title names its own framework before the narrative names another
        ("Inspection of children’s social care services\nSince the focused visit in 2018", "ILACS"),
    ],
)
def test_framework_from_the_title(cover, framework):
    assert detect_framework(cover) == framework


def test_a_document_of_no_known_kind(tmp_path):
    path = tmp_path / "shopping.txt"
    path.write_text("Eggs\nMilk\nBread\n")
    with pytest.raises(DocumentError, match=r"shopping\.txt: cannot tell what kind of document this is"):
        extract_file(path)


def test_a_focused_visit_letter_is_dated_by_the_letter(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(
        "20 February 2019\n"
        "Ms Jane Smith\nDirector of Children's Services\nLeeds City Council\n"
        "Dear Ms Smith\n"
        "Focused visit to Leeds local authority children's services\n"
        "This letter summarises the findings of the focused visit to Leeds on 15 and 16 January 2019.\n"
        "Yours sincerely\n"
    )
    found = classify(load(path))
    assert (found.doc_type, found.framework, found.authority, found.date) == (
        "inspection_letter",
        "focused visit",
        "Leeds",
        "2019-02-20",
    )


def test_a_pack_printed_as_pdf_is_split_too(tmp_path):
    from reportlab.pdfgen import canvas

    source = CORPUS / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt"
    path = tmp_path / "pack.pdf"
    pdf = canvas.Canvas(str(path))
    y = 800
    for raw in source.read_text().splitlines():
        text = "".join(ch for ch in raw.replace("\t", "  ") if ord(ch) <= 0xFFFF)[:110]
        if "intentionally left blank" in text or y < 60:
            pdf.showPage()
            y = 800
        if text.strip():
            pdf.drawString(40, y, text)
            y -= 12
    pdf.showPage()
    pdf.save()
    text_types = [d.doc_type for d in extract_file(source).documents]
    pdf_types = [d.doc_type for d in extract_file(path).documents]
    assert pdf_types == text_types


ADDRESSEES = "\n".join(f"Name {n}, Director of a service, Somewhere Council" for n in range(12))


def test_a_letter_is_known_by_its_title_below_a_dozen_addressees(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(
        f"20 February 2019\n{ADDRESSEES}\nDear Bradford Safeguarding Partnership\n"
        "Joint targeted area inspection of the multi-agency response to children living with\n"
        "domestic abuse in Bradford\n"
        "Between 27 February and 3 March 2019, Ofsted undertook a joint inspection. This inspection\n"
        "included a ‘deep dive’ focus on the response to children aged 7 to 15.\n"
    )
    found = extract_file(path).documents[0]
    assert (found.doc_type, found.framework, found.authority) == ("inspection_letter", "JTAI", "Bradford")
    assert found.title == (
        "Joint targeted area inspection of the multi-agency response to children living with "
        "domestic abuse in Bradford"
    )
    assert found.theme == "the multi-agency response to children living with domestic abuse"
    assert found.deep_dive == "the response to children aged 7 to 15"


def test_a_report_that_mentions_a_peer_review_is_still_the_report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "Inspection of Buckinghamshire Council children’s services\n"
        "Inspection dates: 1 to 12 November 2021\n"
        "Leaders commissioned a peer review from the Local Government Association, and the plan\n"
        "that followed it has a lead and a target date for each action.\n"
    )
    found = extract_file(path).documents[0]
    assert (found.doc_type, found.framework) == ("inspection_report", "ILACS")


def test_an_area_send_report_is_not_an_action_plan(tmp_path):
    path = tmp_path / "send.txt"
    path.write_text(
        "Local area partnership report\nArea SEND inspection of Bury Local Area\nPartnership\n"
        "Inspection dates: 12 to 16 February 2024\n"
        "As a result of this inspection, HMCI requires the local area partnership to prepare and\n"
        "submit a priority action plan (area SEND). Each action has a lead.\n"
    )
    found = extract_file(path).documents[0]
    assert (found.doc_type, found.framework, found.title) == (
        "inspection_report",
        "SEND",
        "Area SEND inspection of Bury Local Area Partnership",
    )


def test_footnote_marks_leave_the_title():
    from extract.classify import without_footnote_marks

    assert without_footnote_marks("Review of the Local Safeguarding Children Board1") == (
        "Review of the Local Safeguarding Children Board"
    )


def test_a_sif_title_with_its_lscb_review_is_read_to_its_end():
    # 211 characters below the council's name: cut at 200, it ended "... safeguarding children"
    found = extract_file(str(CORPUS / "cheshire-east_2015-09-15.pdf")).documents[0]
    assert found.title.endswith("Review of the effectiveness of the local safeguarding children board")


# --- a council's services run by a trust or company (issue #20) ------------------------------

ILACS_PDF = CORPUS / "plymouth_2024-03-15.pdf"


def retitled(*title: str) -> tuple[DocumentInfo, list]:
    """The bundled Plymouth ILACS report with its two title lines ("Inspection of Plymouth City
    Council" / "local authority children's services") replaced by `title`'s one or two."""
    doc = load(ILACS_PDF)
    lines = [
        *(replace(line, text=text) for line, text in zip(doc.lines, title, strict=False)),
        *doc.lines[2:],
    ]
    part = doc.with_lines(lines)
    records, info = read(part, make_info(part, part.lines, None, None))
    return info, records


@pytest.mark.parametrize(
    ("title", "authority", "provider"),
    [
        ("Inspection of Birmingham Children’s Trust", "Birmingham", "Birmingham Children's Trust"),
        ("Inspection of Together for Children", "Sunderland", "Together for Children"),
        ("Inspection of Slough Children First", "Slough", "Slough Children First"),
        (
            "Inspection of Bradford Children and Families Trust",
            "Bradford",
            "Bradford Children and Families Trust",
        ),
        # a body named like a trust that data/providers.csv does not know yet
        ("Inspection of Wigan Children’s Trust", "Wigan", "Wigan Children’s Trust"),
    ],
)
def test_a_report_titled_after_a_trust_is_an_ilacs_report_of_its_council(title, authority, provider):
    info, records = retitled(title)
    assert (info.doc_type, info.framework, info.authority, info.provider) == (
        "inspection_report",
        "ILACS",
        authority,
        provider,
    )
    assert any(isinstance(r, Recommendation) for r in records)


def test_a_company_serving_several_councils_names_the_one_its_title_names():
    info, _ = retitled("Inspection of Achieving for Children Richmond upon Thames")
    assert (info.framework, info.authority, info.provider) == (
        "ILACS",
        "Richmond upon Thames",
        "Achieving for Children",
    )


@pytest.mark.parametrize(
    ("title", "authority"),
    [
        (("Inspection of Sandwell Council children’s services",), "Sandwell"),
        (("Inspection of London Borough of Bexley children’s services",), "Bexley"),
        (("Inspection of City of Bradford Council", "local authority children’s services"), "Bradford"),
        (("London Borough of Barnet", "Inspection of children’s social care services"), "Barnet"),
        (("Inspection of Royal Borough of Greenwich local authority children’s services",), "Greenwich"),
    ],
)
def test_every_form_of_a_councils_title(title, authority):
    info, _ = retitled(*title)
    assert (info.framework, info.authority, info.provider) == ("ILACS", authority, None)


def test_a_councils_own_report_has_no_provider():
    info = extract_file(ILACS_PDF).documents[0]
    assert (info.authority, info.provider) == ("Plymouth", None)
