"""The incremental build: what is extracted again, what is kept, what a bad file costs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, PAPERS_ONLY

import evidence.build.run as build_module
import extract.pipeline as pipeline_module
from evidence.build import BuildOptions, BuildResult, build

RECORD_TABLES = ("recommendations", "actions", "findings", "judgements", "measures", "area_links")


def dump(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            table: sorted(conn.execute(f"select * from {table}").fetchall())
            for table in ("documents", *RECORD_TABLES)
        }


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    return folder


def without_times(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """documents.built_at is the one column a rebuild may change."""
    return {t: [r[:-1] if t == "documents" else r for r in rows[t]] for t in rows}


@pytest.fixture(scope="module")
def papers_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    """The bundled papers copied once and built by one worker, for the tests that only read
    them: (folder, store, what the build said)."""
    folder = tmp_path_factory.mktemp("papers") / "corpus"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    db = folder.parent / "one.db"
    return folder, db, build([folder], db, BuildOptions(workers=1))


def test_bundled_corpus_builds(papers_built):
    _, db, result = papers_built
    assert len(result.extracted) == 5 and not result.failures
    with sqlite3.connect(db) as conn:
        types = sorted(t for (t,) in conn.execute("select doc_type from documents"))
        parts = conn.execute("select count(*) from documents where parent_id is not null").fetchone()[0]
    assert parts == 7
    assert types.count("committee_report") == 4 and "committee_pack" in types and "scorecard" in types


def test_second_build_changes_nothing(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    result = build([corpus], db)
    assert result.extracted == [] and len(result.unchanged) == 5
    assert dump(db) == before


def test_ids_are_stable_across_a_fresh_build(papers_built, tmp_path):
    corpus, first, _ = papers_built
    build([corpus], tmp_path / "b.db")
    assert without_times(dump(first)) == without_times(dump(tmp_path / "b.db"))


def test_changed_file_is_extracted_again_alone(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    plan = corpus / "plymouth_2015-01-06_draft-improvement-plan.txt"
    plan.write_text(plan.read_text() + "\nA closing note.\n")
    result = build([corpus], db)
    assert [Path(p).name for p in result.extracted] == [plan.name]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select count(*) from documents where path like ?", ["%plymouth%"]).fetchone()[0]
    assert rows == 1  # replaced, not added


def test_removed_file_loses_its_rows(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    (corpus / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt").unlink()
    result = build([corpus], db)
    assert len(result.removed) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == 4
        assert conn.execute("select count(*) from measures").fetchone()[0] == 0


def test_newer_extractor_reads_everything_again(corpus, tmp_path, monkeypatch):
    db = tmp_path / "e.db"
    build([corpus], db)
    monkeypatch.setattr(build_module, "EXTRACTOR_VERSION", "9.9.9")
    monkeypatch.setattr(pipeline_module, "EXTRACTOR_VERSION", "9.9.9")
    result = build([corpus], db)
    assert len(result.extracted) == 5
    with sqlite3.connect(db) as conn:
        assert {v for (v,) in conn.execute("select extractor_version from documents")} == {"9.9.9"}


def test_bad_files_are_listed_and_cost_nothing_else(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    (corpus / "report.pdf").write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "latin.txt").write_bytes("Caf\xe9".encode("latin-1"))
    result = build([corpus], db)
    reasons = dict((Path(p).name, r) for p, r in result.failures)
    assert reasons["report.pdf"].startswith("this is an HTML web page")
    assert reasons["empty.txt"].startswith("the file is empty")
    assert reasons["latin.txt"].startswith("the text is not UTF-8")
    assert dump(db) == before
    with sqlite3.connect(db) as conn:
        problems = {Path(p).name: r for p, r in conn.execute("select path, reason from problems")}
    assert problems == reasons


def test_a_good_file_gone_bad_keeps_its_rows(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    seed = corpus / "cheshire-east_2013-01-17_lga-peer-review-letter.txt"
    seed.write_bytes(b"\xff\xfe broken")
    result = build([corpus], db)
    assert [Path(p).name for p, _ in result.failures] == [seed.name]
    assert without_times(dump(db)) == without_times(before)


def test_problems_are_those_of_the_latest_build(corpus, tmp_path):
    db = tmp_path / "e.db"
    bad = corpus / "empty.txt"
    bad.write_bytes(b"")
    build([corpus], db)
    bad.unlink()
    build([corpus], db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from problems").fetchone()[0] == 0


@pytest.mark.slow  # starts processes of its own (two workers)
def test_workers_give_the_same_store(papers_built, tmp_path):
    corpus, one, _ = papers_built
    build([corpus], tmp_path / "two.db", BuildOptions(workers=2))
    assert without_times(dump(one)) == without_times(dump(tmp_path / "two.db"))


def test_real_reports_build_and_the_html_one_is_rejected(ofsted_dir, tmp_path):
    db = tmp_path / "o.db"
    result = build([ofsted_dir], db, BuildOptions(workers=2))
    assert [(Path(p).name, r.split(":")[0]) for p, r in result.failures] == [
        ("rotherham_2012-08-10.pdf", "this is an HTML web page saved with a .pdf name, not a PDF")
    ]
    assert result.counts["documents"] == 40
    again = build([ofsted_dir], db)
    assert again.extracted == [] and len(again.unchanged) == 40


def test_the_same_paper_in_two_packs_is_stored_twice(corpus, tmp_path):
    pack = corpus / "cheshire-east_2020-01-21_corporate-parenting-committee-pack.txt"
    (corpus / "copy-with-a-new-cover.txt").write_text(
        pack.read_text().replace("Time: 4.00 pm", "Time: 5.00 pm")
    )
    db = tmp_path / "e.db"
    result = build([corpus], db)
    assert not result.failures
    with sqlite3.connect(db) as conn:
        packs = conn.execute("select count(*) from documents where doc_type = 'committee_pack'").fetchone()[0]
        reports = conn.execute(
            "select count(*) from documents where doc_type = 'inspection_report'"
        ).fetchone()[0]
    assert (packs, reports) == (2, 2)


def test_progress_counts_every_file_once(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    (corpus / "plymouth_2015-01-06_draft-improvement-plan.txt").write_text("changed\n")
    seen: list[str] = []
    build([corpus], db, BuildOptions(progress=seen.append))
    assert sorted(Path(p).name for p in seen) == sorted(p.name for p in corpus.glob("*.txt"))


def test_a_build_from_another_folder_keeps_what_it_did_not_read(corpus, tmp_path, monkeypatch):
    db = tmp_path / "e.db"
    monkeypatch.chdir(corpus.parent)
    build([Path("corpus")], db)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = build([Path(".")], db)
    assert result.removed == []
    assert result.counts["documents"] == 12


def test_two_copies_in_one_build_are_stored_once(corpus, tmp_path):
    shutil.copy(corpus / "cheshire-east_2013-01-17_lga-peer-review-letter.txt", corpus / "copy.txt")
    result = build([corpus], tmp_path / "e.db")
    assert [(Path(p).name, r.split(":")[0]) for p, r in result.failures] == [
        (
            "copy.txt",
            "the same file as " + str(corpus / "cheshire-east_2013-01-17_lga-peer-review-letter.txt"),
        )
    ]
    assert len(result.extracted) == 5


def test_a_copy_of_a_file_that_cannot_be_read_says_why(corpus, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    page = b"<!DOCTYPE html><html><body>Ofsted report</body></html>"
    (folder / "a_2012-10-19.pdf").write_bytes(page)
    (folder / "b_2012-08-10.pdf").write_bytes(page)
    result = build([folder], tmp_path / "e.db")
    reasons = {Path(p).name: r for p, r in result.failures}
    assert sorted(reasons) == ["a_2012-10-19.pdf", "b_2012-08-10.pdf"]
    assert "not a PDF" in reasons["a_2012-10-19.pdf"]
    assert reasons["b_2012-08-10.pdf"].startswith(
        f"the same file as {folder / 'a_2012-10-19.pdf'}, which cannot"
    )
    assert "not a PDF" in reasons["b_2012-08-10.pdf"] and "read once" not in reasons["b_2012-08-10.pdf"]
    assert result.extracted == []


def test_a_link_out_of_the_folder_is_not_followed(corpus, tmp_path):
    folder = tmp_path / "links"
    folder.mkdir()
    plan = corpus / "plymouth_2015-01-06_draft-improvement-plan.txt"
    (folder / "plan.txt").symlink_to(plan)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    result = build([folder], tmp_path / "e.db")
    reasons = {Path(p).name: r for p, r in result.failures}
    assert reasons["plan.txt"] == (
        f"this is a link to {plan}, outside the folders being built, and is not followed: "
        "copy the file into the folder, or build the folder it is in"
    )
    assert reasons["passwd.txt"].startswith("this is a link to /etc/passwd, outside")
    assert result.counts["documents"] == 0
    both = build([folder, corpus], tmp_path / "both.db")  # the link leads into a folder being built
    assert sorted(Path(p).name for p, r in both.failures if "outside the folders" in r) == ["passwd.txt"]
