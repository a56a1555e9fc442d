"""The command line: summaries, messages and exit codes as a user sees them."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT

from evidence.cli import cli


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_a_summary(runner, tmp_path):
    db = tmp_path / "e.db"
    result = runner.invoke(cli, ["build", str(CORPUS), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    files = len([*CORPUS.glob("*.txt"), *CORPUS.glob("*.pdf")])  # the README is not a document
    assert f"{files} files: {files} extracted, 0 unchanged, 0 rejected" in result.output
    assert re.search(
        r"Store .*e\.db: 19 documents, \d+ recommendations, \d+ actions, \d+ findings", result.output
    )
    again = runner.invoke(cli, ["build", str(CORPUS), "--db", str(db)])
    assert f"0 extracted, {files} unchanged" in again.output


def test_build_lists_rejected_files_and_still_succeeds(runner, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    result = runner.invoke(cli, ["build", str(folder), "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 0
    assert "1 rejected" in result.output
    assert re.search(r"rejected .*scan\.pdf: the PDF is damaged or truncated", result.output)


def test_build_fails_when_nothing_is_usable(runner, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    result = runner.invoke(cli, ["build", str(folder), "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 1
    assert "Error: nothing usable was found" in result.output
    assert "rejected" in result.output and "a.txt: the file is empty" in result.output


def test_commands_on_a_missing_store_say_what_to_do(runner, tmp_path):
    result = runner.invoke(cli, ["eval", str(CORPUS / "README.md"), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "none.db does not exist: run `evidence build` first" in result.output


def test_export_writes_the_tracker(runner, tmp_path):
    db = tmp_path / "e.db"
    runner.invoke(cli, ["build", str(CORPUS), "--db", str(db)])
    out = tmp_path / "tracker.json"
    result = runner.invoke(cli, ["export", "--db", str(db), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) >= {"recommendations", "actions", "claims", "links"}
    for fmt, name in (("xlsx", "t.xlsx"), ("csv", "csv")):
        result = runner.invoke(
            cli, ["export", "--db", str(db), "--format", fmt, "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "recommendations.csv").exists()


def test_every_command_has_an_example_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert "Example:" in (command.help or ""), name
        assert f"evidence {name}" in readme, name


def test_a_database_of_something_else_is_left_alone(runner, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table people (name text)")
    for args in (["status", "--db", str(other)], ["build", str(CORPUS), "--db", str(other)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1
        assert "is not an evidence store" in result.output
    with sqlite3.connect(other) as conn:
        assert [name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")] == [
            "people"
        ]


def test_a_store_in_a_folder_that_does_not_exist(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(CORPUS), "--db", str(tmp_path / "no" / "e.db")])
    assert result.exit_code == 1
    assert (
        "cannot be used as the evidence store (unable to open database file): pass another --db"
        in result.output
    )


def test_the_store_is_not_read_as_a_document(runner, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    runner.invoke(cli, ["build", str(folder), "--db", str(folder / "e.db")])
    again = runner.invoke(cli, ["build", str(folder), "--db", str(folder / "e.db")])
    assert "0 rejected" in again.output


def test_export_to_a_folder_that_does_not_exist_says_so(runner, tmp_path):
    db = tmp_path / "e.db"
    runner.invoke(cli, ["build", str(CORPUS), "--db", str(db)])
    result = runner.invoke(
        cli, ["export", "--db", str(db), "--format", "json", "--out", str(tmp_path / "no" / "t.json")]
    )
    assert result.exit_code == 1
    assert "the folder" in result.output and "does not exist" in result.output
