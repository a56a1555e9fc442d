from __future__ import annotations

from pathlib import Path

import pytest

from extract.authorities import (
    KINDS,
    all_authorities,
    authorities_named,
    authority_from_name,
    authority_names,
    find_authority,
    score_mentions,
)
from extract.errors import DocumentError
from extract.load import load

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
OFSTED = SHARED / "corpus" / "ofsted"
OFSTED_REPORTS = sorted(OFSTED.glob("*.pdf")) if OFSTED.exists() else []
BUNDLED = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
REPORT_LINES = 60
PAPER_LINES = 120  # what the classifier passes for committee papers and plans


# --- the gazetteer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # England's children's services authorities: 150 until the 2009 unitaries, 152 until
        # Dorset's reorganisation in 2019, 151 then, 152 after Northamptonshire's split in 2021,
        # 153 after Cumbria's split in 2023.
        (2008, 150),
        (2015, 152),
        (2020, 151),
        (2022, 152),
        (2024, 153),
    ],
)
def test_number_of_authorities_each_year(year: int, expected: int) -> None:
    assert sum(a.existed_in(year) for a in all_authorities()) == expected


def test_kinds_of_authorities_today() -> None:
    today = [a for a in all_authorities() if a.existed_in(2024)]
    counts = {kind: sum(a.kind == kind for a in today) for kind in KINDS}
    assert counts == {"county": 21, "unitary": 62, "metropolitan": 36, "london": 32, "other": 2}


@pytest.mark.parametrize(
    ("name", "kind", "start", "end"),
    [
        ("Bournemouth", "unitary", None, 2019),
        ("Poole", "unitary", None, 2019),
        ("Bournemouth, Christchurch and Poole", "unitary", 2019, None),
        ("Northamptonshire", "county", None, 2021),
        ("North Northamptonshire", "unitary", 2021, None),
        ("West Northamptonshire", "unitary", 2021, None),
        ("Cumbria", "county", None, 2023),
        ("Cumberland", "unitary", 2023, None),
        ("Westmorland and Furness", "unitary", 2023, None),
        ("Cheshire East", "unitary", 2009, None),
        ("Cheshire", "county", None, 2009),
        ("Plymouth", "unitary", None, None),
        ("Tower Hamlets", "london", None, None),
        ("St Helens", "metropolitan", None, None),
        ("Isles of Scilly", "other", None, None),
        ("City of London", "other", None, None),
    ],
)
def test_authority_rows(name: str, kind: str, start: int | None, end: int | None) -> None:
    assert [(a.kind, a.from_year, a.until_year) for a in authorities_named(name)] == [(kind, start, end)]


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("Dorset", [("county", None, 2019), ("unitary", 2019, None)]),
        ("Buckinghamshire", [("county", None, 2020), ("unitary", 2020, None)]),
        ("North Yorkshire", [("county", None, 2023), ("unitary", 2023, None)]),
        ("Somerset", [("county", None, 2023), ("unitary", 2023, None)]),
        ("County Durham", [("county", None, 2009), ("unitary", 2009, None)]),
    ],
)
def test_authorities_that_changed_kind_keep_their_name(name: str, rows: list[tuple]) -> None:
    assert [(a.kind, a.from_year, a.until_year) for a in authorities_named(name)] == rows


def test_every_spelling_names_its_own_authority() -> None:
    wrong = [
        (spelling, a.name, authority_from_name(spelling))
        for a in all_authorities()
        for spelling in (a.name, *a.aliases)
        if authority_from_name(spelling) != a.name
    ]
    assert wrong == []


def test_rows_are_well_formed() -> None:
    rows = all_authorities()
    assert 160 <= len(rows) <= 175
    assert len(authority_names()) == len({a.name for a in rows})
    for a in rows:
        assert a.kind in KINDS
        assert a.from_year is None or a.until_year is None or a.from_year < a.until_year
        assert a.name not in a.aliases, a.name


@pytest.mark.parametrize("place", ["Cardiff", "Swansea", "Glasgow", "Edinburgh", "Belfast", "Richmondshire"])
def test_only_english_authorities(place: str) -> None:
    assert authority_from_name(place) is None


# --- names and slugs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kingston-upon-hull", "Kingston upon Hull"),
        ("cheshire-east", "Cheshire East"),
        ("st-helens", "St Helens"),
        ("windsor-and-maidenhead", "Windsor and Maidenhead"),
        ("east-riding-of-yorkshire", "East Riding of Yorkshire"),
        ("redcar-and-cleveland", "Redcar and Cleveland"),
        ("blackburn-with-darwen", "Blackburn with Darwen"),
        ("southend-on-sea", "Southend-on-Sea"),
        ("city-of-london", "City of London"),
        ("cheshire_west_and_chester", "Cheshire West and Chester"),
        ("Hull", "Kingston upon Hull"),
        ("Kingston upon Hull City Council", "Kingston upon Hull"),
        ("Kingston upon Thames", "Kingston upon Thames"),
        ("St. Helens Metropolitan Borough Council", "St Helens"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("London Borough of Tower Hamlets", "Tower Hamlets"),
        ("Bristol, City of", "Bristol"),
        ("Herefordshire, County of", "Herefordshire"),
        ("BCP", "Bournemouth, Christchurch and Poole"),
        ("Bournemouth", "Bournemouth"),
        ("Durham", "County Durham"),
        ("Cheshire East Council", "Cheshire East"),
        ("Telford & Wrekin Council", "Telford and Wrekin"),
        ("Westminster City Council", "Westminster"),
        ("Kirklees Metropolitan Borough Council", "Kirklees"),
        ("Cambridgeshire County Council", "Cambridgeshire"),
        ("Plymouth City Council", "Plymouth"),
        ("North Yorkshire Council", "North Yorkshire"),
        ("Richmond", "Richmond upon Thames"),
        ("Greater Manchester", None),
        ("Borough Council", None),
        ("", None),
    ],
)
def test_authority_from_name(name: str, expected: str | None) -> None:
    assert authority_from_name(name) == expected


# --- finding the authority in a text -------------------------------------------------------

BODY = "Children who need help and protection are seen quickly.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Inspection of Cheshire West and Chester local authority children's services",
            "Cheshire West and Chester",
        ),
        ("Cheshire West and Chester Council\n" + BODY * 3 + "Cheshire East", "Cheshire West and Chester"),
        ("Royal Borough of Kingston upon Thames\nInspection of children's services", "Kingston upon Thames"),
        ("Inspection of Kingston upon Hull City Council children's services", "Kingston upon Hull"),
        ("KINGSTON UPON HULL CITY COUNCIL", "Kingston upon Hull"),
        ("Bury Council\nInspection of children's social care services", "Bury"),
        ("Inspection of Sutton local authority children's services", "Sutton"),
        ("Halton Borough Council\n" + BODY, "Halton"),
        ("Wirral Council\n" + BODY, "Wirral"),
        ("London Borough of Richmond upon Thames\n" + BODY, "Richmond upon Thames"),
        ("Derby City Council\n" + BODY + "Derbyshire police", "Derby"),
        ("Derbyshire County Council\n" + BODY + "Derby", "Derbyshire"),
        ("City of York Council\n" + BODY, "York"),
        ("Bristol City Council\n" + BODY, "Bristol"),
        ("Southend-on-Sea Borough Council\n" + BODY, "Southend-on-Sea"),
        ("Inspection of Durham local authority children's services", "County Durham"),
        ("Durham County Council\n" + BODY, "County Durham"),
        ("Bournemouth, Christchurch and Poole Council\n" + BODY, "Bournemouth, Christchurch and Poole"),
        (
            "Inspection of BCP Council local authority children's services",
            "Bournemouth, Christchurch and Poole",
        ),
        ("Bath and North East Somerset Council\n" + BODY, "Bath and North East Somerset"),
        ("North Northamptonshire Council\n" + BODY, "North Northamptonshire"),
        ("Newcastle City Council\n" + BODY, "Newcastle upon Tyne"),
        ("Reading Borough Council\n" + BODY, "Reading"),
        ("St. Helens Council\n" + BODY, "St Helens"),
        (
            "Inspection of the Royal Borough of\nWindsor and Maidenhead local\nauthority",
            "Windsor and Maidenhead",
        ),
        ("Plymouth's Children and Young People's Partnership", "Plymouth"),
    ],
)
def test_find_authority_in_titles(text: str, expected: str) -> None:
    assert find_authority(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject is named in the title; neighbours and partners are named in passing
        (
            "East Riding of Yorkshire Council\n"
            + BODY * 6
            + "Hull and East Yorkshire Hospitals NHS Trust.\n" * 3
            + "York and Scarborough hospitals.",
            "East Riding of Yorkshire",
        ),
        (
            "North Yorkshire County Council\n" + BODY * 6 + "Offices in Richmond and York. York. York.",
            "North Yorkshire",
        ),
        (
            "Birmingham City Council\n" + BODY * 6 + "Sutton Coldfield. Sutton Coldfield. Sutton Coldfield.",
            "Birmingham",
        ),
        (
            "Plymouth City Council\n" + BODY * 6 + "We work with Cornwall and Torbay. Cornwall. Cornwall.",
            "Plymouth",
        ),
        (
            "Improvement plan\n" + BODY * 6 + "Solihull. Performance is better than statistical neighbours "
            "such as Dudley, as Dudley and Dudley show.",
            "Solihull",
        ),
        ("Annual report\n" + BODY * 6 + "Torbay. Devon. Devon. Devon.", "Devon"),
        (
            "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n"
            + "Director of Children's Services\nSalford City Council",
            "Salford",
        ),
        (
            "Annual report\n" + BODY * 6 + "Rates in Bolton, Bury, Oldham and Wigan are similar.\nSalford",
            "Salford",
        ),
    ],
)
def test_find_authority_prefers_the_subject(text: str, expected: str) -> None:
    assert find_authority(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hull and East Yorkshire Hospitals NHS Trust",
        "Greater Manchester Combined Authority",
        "Newcastle-under-Lyme Borough Council",
        "We will not bury the findings. Reading the report, slough off old habits.",
        "Our rates are higher than statistical neighbours such as Torbay and Cornwall.",
        "The Kent Police and the Durham Constabulary",
        "Children who need help and protection",
        "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD",
        "",
    ],
)
def test_find_authority_ignores_weak_and_incidental_mentions(text: str) -> None:
    assert find_authority(text) is None


def test_scores_explain_the_answer() -> None:
    scores = score_mentions(
        "Inspection of Dudley local authority\nchildren's services\n" + BODY * 6 + "Sandwell"
    )
    assert list(scores) == ["Dudley", "Sandwell"]
    assert scores["Dudley"] > scores["Sandwell"]


# --- real documents ------------------------------------------------------------------------


@pytest.mark.parametrize("path", OFSTED_REPORTS, ids=lambda p: p.name)
def test_ofsted_file_names_are_authorities(path: Path) -> None:
    assert authority_from_name(path.stem.split("_")[0]) is not None


@pytest.mark.parametrize("path", OFSTED_REPORTS, ids=lambda p: p.name)
def test_ofsted_reports_name_their_authority(path: Path) -> None:
    try:
        doc = load(path)
    except DocumentError as exc:
        pytest.skip(f"not a usable report: {exc.reason}")
    text = "\n".join(line.text for line in doc.lines[:REPORT_LINES])
    assert find_authority(text) == authority_from_name(path.stem.split("_")[0])


@pytest.mark.skipif(not (OFSTED / "rotherham_2012-08-10.pdf").exists(), reason="needs ../shared")
def test_html_page_saved_as_pdf_is_rejected() -> None:
    with pytest.raises(DocumentError, match="HTML"):
        load(OFSTED / "rotherham_2012-08-10.pdf")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_council_papers_name_their_authority(path: Path) -> None:
    doc = load(path)
    text = "\n".join(line.text for line in doc.lines[:PAPER_LINES])
    assert find_authority(text) == authority_from_name(path.stem.split("_")[0])
