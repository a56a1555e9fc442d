"""What a person should know of a stored file (issue #24): its pages that read badly and its
sections read as empty live on its document row (`documents.notes`, `documents.unread`), and
every build lists them in `problems`, whether or not it read the file again."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import damage
from click.testing import CliRunner
from conftest import CORPUS

from evidence.build import build
from evidence.build.result import BuildResult
from evidence.cli import cli

REPORT = "plymouth_2024-03-15.pdf"
PLAN = (
    "Plymouth City Council Children's Social Care Improvement Plan\n\n"
    "AREA FOR IMPROVEMENT 1: Improve management oversight\n"
    "ACTION\tPROGRESS MILESTONES\tTARGET DATE\tDELIVERY LEAD\n"
    "{table}\n"
)


def problems(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return {Path(path).name: reason for path, reason in conn.execute("select path, reason from problems")}


def test_a_garbled_page_is_said_on_every_build_until_the_file_is_fixed(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / REPORT
    report.write_bytes(damage.page_lost((CORPUS / REPORT).read_bytes(), 2))
    db = tmp_path / "e.db"
    first = build([folder], db)
    said = problems(db)
    assert said[REPORT].startswith("stored, but ") and "page 2 gives no text" in said[REPORT]
    again = build([folder], db)  # the file unchanged: not read again
    assert again.extracted == [] and [Path(p).name for p in again.unchanged] == [REPORT]
    assert problems(db) == said
    assert again.noted == first.noted
    shutil.copy(CORPUS / REPORT, report)  # a good copy
    fixed = build([folder], db)
    assert problems(db) == {} and fixed.noted == []


def test_a_good_copy_replaces_a_file_stored_garbled_on_a_first_build(tmp_path):
    # The note says "re-download the file and build again"; the good copy reads differently
    # from the garbled rows stored, and was refused as reading worse than them.
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "plymouth_2015-01-06.pdf"
    report.write_bytes(damage.font_codes((CORPUS / report.name).read_bytes()))
    db = tmp_path / "e.db"
    build([folder], db)
    assert "garbled" in problems(db)[report.name]
    shutil.copy(CORPUS / report.name, report)
    fixed = build([folder], db)
    assert fixed.failures == [] and problems(db) == {}
    good = build([CORPUS / report.name], tmp_path / "good.db")
    assert fixed.counts["recommendations"] == good.counts["recommendations"]


def test_a_section_read_as_empty_is_said_on_every_build_until_the_file_is_fixed(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    plan = folder / "plymouth_2015-01-06_plan.txt"
    plan.write_text(PLAN.format(table="(see the appendix)"))
    db = tmp_path / "e.db"
    build([folder], db)
    said = problems(db)
    assert said[plan.name].startswith("“action table (area 1)” on page 1 was found but no item was read")
    again = build([folder], db)
    assert again.extracted == [] and problems(db) == said
    assert [Path(p).name for p, _ in again.unread] == [plan.name]
    plan.write_text(PLAN.format(table="1.1\tAudit every case file\tMarch 2015\tJune 2015\tHead of Service"))
    build([folder], db)
    assert problems(db) == {}


def test_a_files_notes_are_rows_of_the_document_notes_view_each_of_its_kind(tmp_path):
    """Damage and a report with no recommendations are about the whole file, not a page."""
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / REPORT).write_bytes(damage.page_lost((CORPUS / REPORT).read_bytes(), 2))
    db = tmp_path / "e.db"
    build([folder], db)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select kind, page, note from document_notes").fetchall()
    assert ("page", 2, "page 2 gives no text") in rows and len(rows) == 3
    assert sorted(note.split()[:3] for kind, page, note in rows if kind == "file" and page is None) == [
        ["no", "recommendations", "were"],
        ["the", "file", "is"],
    ]


OLD_VIEW = """CREATE VIEW document_notes AS
SELECT d.id AS document_id, d.path, 'page' AS kind, n.value AS note, d.first_page, n.key AS position
FROM documents d, json_each(d.notes) n WHERE d.notes IS NOT NULL
UNION ALL
SELECT coalesce(d.parent_id, d.id), d.path, 'unread', u.value, d.first_page, u.key
FROM documents d, json_each(d.unread) u WHERE d.unread IS NOT NULL"""


def test_a_store_whose_notes_are_strings_still_reads_them_each_of_its_kind(tmp_path):
    """A store built before notes were stored with their kind held a JSON list of strings and
    a view that called every note a page's."""
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / REPORT).write_bytes(damage.page_lost((CORPUS / REPORT).read_bytes(), 2))
    db = tmp_path / "e.db"
    first = build([folder], db)
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("select notes from documents where notes is not null").fetchone()
        strings = json.dumps([note["note"] for note in json.loads(stored)])
        conn.execute("update documents set notes = ?", [strings])
        conn.execute("drop view document_notes")
        conn.execute(OLD_VIEW)
    again = build([folder], db)
    assert again.extracted == [] and again.noted == first.noted
    with sqlite3.connect(db) as conn:
        kinds = dict(conn.execute("select note, kind from document_notes").fetchall())
    assert kinds["page 2 gives no text"] == "page"
    assert {kind for note, kind in kinds.items() if not note.startswith("page ")} == {"file"}


def test_a_rebuild_that_reads_nothing_still_says_each_note(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / REPORT).write_bytes(damage.page_lost((CORPUS / REPORT).read_bytes(), 2))
    db = str(tmp_path / "e.db")
    runner = CliRunner()
    runner.invoke(cli, ["build", str(folder), "--db", db])
    again = runner.invoke(cli, ["build", str(folder), "--db", db])
    assert again.exit_code == 0, again.output
    assert (
        "0 extracted, 1 unchanged, 0 rejected, 1 stored with something to check (see problems)"
        in again.output
    )
    assert f"  note on {folder / REPORT}: stored, but " in again.output


def test_the_summary_does_not_call_a_file_damaged_for_a_note_that_is_not_damage():
    """A report with no recommendations may be a gap of the parser, not damage: the summary
    counts files with something to check, and problems says what."""
    reason = "stored, but no recommendations were found in this inspection report (grades Inadequate): ..."
    summary = BuildResult(found=1, noted=[("x.pdf", reason)]).summary()
    assert "damaged" not in summary and "1 stored with something to check (see problems)" in summary
