"""Every family of Ofsted document, read across whole folders of the national collection.

Two kinds of check, both on real documents in ../shared (skipped when it is absent):
- hand-checked expectations (tests/expected), drawn from the documents alone by engineers
  who did not write the parsers: JTAI letters, area SEND reports and a joint area review,
  and reports of layouts the tool had not met. Half of each set is held out
  (tests/expected/holdout) and was not looked at while the parsers were written;
- yields over whole folders: nothing real rejected, every known section read (each one read
  as empty is a problem row, and those known are listed here), an outcome for every area
  SEND report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXPECTED, OFSTED, SHARED

from evidence.build import BuildOptions, build
from evidence.evaluate import evaluate
from evidence.store import Store
from extract.authorities import authority_from_name
from extract.vocab import SEND_OUTCOMES

LETTERS = SHARED / "corpus" / "letters"
MORE = SHARED / "corpus" / "ofsted-more"
NEW = SHARED / "corpus" / "ofsted-2025-26"
# Which folder each expectations file describes.
SETS = {
    "letters_jtai.json": LETTERS,
    "letters_send.json": LETTERS,
    "ofsted_more.json": MORE,
    "ofsted_2025_26.json": NEW,
}
# Floors for the held-out sets, (precision, recall) per field: what each measures on the
# folder it describes (SETS), cut to three places, so that one item more missed or one wrong
# item more fails. `evidence eval tests/expected/holdout/NAME --db STORE` prints the figures;
# docs/extraction.md quotes them. Measured on a build of ../shared/corpus (letters,
# ofsted-more, ofsted-2025-26) with extractor 0.5.0:
# JTAI items 97 of 101 right, 1 of 98 wrong (Milton Keynes 2019's next steps take in a footnote).
HOLDOUT_FLOOR = {
    "letters_jtai.json": {"recommendations": (0.989, 0.960), "findings": (0.993, 0.979)},
    "letters_send.json": {"recommendations": (1.0, 0.969), "judgements": (1.0, 1.0), "findings": (1.0, 1.0)},
    "ofsted_more.json": {"recommendations": (1.0, 1.0), "judgements": (1.0, 1.0)},
    "ofsted_2025_26.json": {"recommendations": (1.0, 1.0), "judgements": (1.0, 1.0)},
}


def built(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    db = tmp_path_factory.mktemp("families") / "store.db"
    build([folder], db, BuildOptions(workers=2))
    return db


@pytest.fixture(scope="session")
def letters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(LETTERS, tmp_path_factory)


@pytest.fixture(scope="session")
def more_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(MORE, tmp_path_factory)


@pytest.fixture(scope="session")
def new_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(NEW, tmp_path_factory)


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports the seeds answer and repeat (../shared/corpus/ofsted)."""
    return built(OFSTED, tmp_path_factory)


@pytest.fixture
def stores(letters_dir: Path, more_dir: Path, new_dir: Path) -> dict[Path, Path]:
    return {LETTERS: letters_dir, MORE: more_dir, NEW: new_dir}


def totals(report: dict, field: str) -> tuple[int, int, int]:
    """(expected, found, matched) of one field over every document of a report."""
    total = report["_total"].get(field, {"expected": 0, "found": 0, "matched": 0})
    return total["expected"], total["found"], total["matched"]


def expectation_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.json") if p.name in SETS)


@pytest.mark.parametrize("name", expectation_files(EXPECTED))
def test_documents_are_classified_as_hand_checked(name: str, stores: dict[Path, Path]) -> None:
    for path in (EXPECTED / name, EXPECTED / "holdout" / name):
        if not path.exists():
            continue  # a held-out set not added yet
        report = evaluate(str(path), str(stores[SETS[name]]))
        for doc, scores in report.items():
            if doc == "_total":
                continue
            assert not isinstance(scores.get("missing"), str), f"{doc} was not stored"
            for field, pair in scores["document"].items():
                expected = pair["expected"]
                if field == "authority":  # the gold may spell it otherwise ("Durham": County Durham)
                    expected = authority_from_name(expected) or expected
                assert pair["found"] == expected, (doc, field)


@pytest.mark.parametrize("name", expectation_files(EXPECTED))
def test_items_match_the_hand_checked_ones(name: str, stores: dict[Path, Path]) -> None:
    """On the documents looked at while the parsers were written, every item is right."""
    report = evaluate(str(EXPECTED / name), str(stores[SETS[name]]))
    expected = json.loads((EXPECTED / name).read_text())
    for field in ("recommendations", "judgements", "findings"):
        want, found, matched = totals(report, field)
        # the joint area review of 2009 grades progress, not services, and lists the
        # concerns it found in prose bullets: neither is read (see README, "What is read")
        unread = (
            sum(len(entry.get(field, [])) for entry in expected.values() if entry.get("framework") == "JAR")
            if field != "recommendations"
            else 0
        )
        assert matched == found, f"{name} {field}: {found - matched} items not in the expectations"
        assert matched >= want - unread, f"{name} {field}: {want - unread - matched} expected items missed"


@pytest.mark.parametrize("name", expectation_files(EXPECTED / "holdout"))
def test_held_out_documents_are_read_as_well(name: str, stores: dict[Path, Path]) -> None:
    report = evaluate(str(EXPECTED / "holdout" / name), str(stores[SETS[name]]))
    measured = {}
    for field in ("recommendations", "judgements", "findings"):
        want, found, matched = totals(report, field)
        if want:
            measured[field] = (matched / found if found else 0.0, matched / want)
    assert measured.keys() == HOLDOUT_FLOOR[name].keys(), f"{name}: a field without a floor"
    for field, (precision, recall) in measured.items():
        least_precision, least_recall = HOLDOUT_FLOOR[name][field]
        shown = (name, field, round(precision, 3), round(recall, 3))
        assert precision >= least_precision and recall >= least_recall, shown


def test_no_real_report_of_the_national_collection_is_rejected(more_dir: Path) -> None:
    store = Store(more_dir)
    try:
        # a file stored with a section read as empty is a problem too, but not a rejection
        problems = store.query(
            "select path, reason from problems where path not in (select path from documents)"
        )
    finally:
        store.close()
    assert [p for p in problems if "HTML web page" not in p["reason"]] == []


# Sections found and read as empty in the four collections, each looked at by a person: what
# the yield check allows. A new one fails the test below; fix the parser or add it here, saying why.
KNOWN_UNREAD = {
    # 2016-17 JTAI letters print their areas for improvement as paragraphs under themes, not
    # as a list: not read yet (issue #20 follow-up)
    "peterborough_2017-08-11_jtai.pdf": "Areas for improvement",
    "wiltshire_2016-12-16_jtai.pdf": "Areas for improvement",
    # an introductory paragraph before the bullets ends the list; this letter is in the JTAI
    # held-out set, so the parser was not tuned on it
    "cheshire-east_2022-09-26_jtai.pdf": "Area for priority action",
    # an outstanding report whose "What needs to improve?" is one paragraph, not a list
    "north-lincolnshire_2022-11-25.pdf": "What needs to improve?",
}
# Files of the collections that are not reports at all (an HTML page saved as .pdf).
NOT_REPORTS = {"rotherham_2012-08-10.pdf", "birmingham_2012-10-19.pdf"}


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["seeds_dir", "more_dir", "letters_dir", "new_dir"])
def test_every_document_is_stored_and_every_known_section_read(collection: str, request) -> None:
    """The yield check of issue #20 over each collection: nothing real rejected, every known
    section read (or listed above), judgements for every graded report, counts per family and
    year that add up."""
    from evidence.build.yields import collection_yield

    store = Store(request.getfixturevalue(collection))
    try:
        report = collection_yield(store)
        problems = {
            Path(p["path"]).name: p["reason"] for p in store.query("select path, reason from problems")
        }
    finally:
        store.close()
    assert sorted(Path(p).name for p, _ in report.rejected if Path(p).name not in NOT_REPORTS) == []
    unread = {Path(path).name: reason for path, reason in report.unread}
    assert {name: KNOWN_UNREAD.get(name) for name in unread} == {
        name: reason.split("”")[0].lstrip("“") for name, reason in unread.items()
    }
    assert all(name in problems for name in unread)  # each one is a problem row too
    assert all(r.sections_read + r.sections_unread == r.sections_found for r in report.rows)
    assert not [r for r in report.rows if r.family in ("ILACS", "SIF", "SEND") and r.judgements < r.stored]


def test_every_area_send_report_has_one_outcome(letters_dir: Path) -> None:
    store = Store(letters_dir)
    try:
        rows = store.query(
            "select d.path, j.grade, j.grade_text from documents d left join judgements j on j.document_id = d.id"
            " where d.framework = 'SEND'"
        )
    finally:
        store.close()
    by_report: dict[str, list[str]] = {}
    for row in rows:
        by_report.setdefault(row["path"], []).append(row["grade"])
    assert len(by_report) == len(list(LETTERS.glob("*_send.pdf")))
    assert all(len(grades) == 1 and grades[0] in SEND_OUTCOMES for grades in by_report.values())


def test_every_jtai_letter_has_its_theme_and_items(letters_dir: Path) -> None:
    store = Store(letters_dir)
    try:
        rows = store.query(
            "select d.path, d.theme, d.title, (select count(*) from recommendations r where r.document_id = d.id)"
            " as items from documents d where d.framework = 'JTAI'"
        )
    finally:
        store.close()
    assert len(rows) == len(list(LETTERS.glob("*_jtai.pdf")))
    assert [r["path"] for r in rows if not r["theme"] or not r["items"]] == []
    assert all(r["title"].startswith("Joint targeted area inspection") for r in rows)
