"""What `evidence build` says when there is nothing to build (issue #22): no files is not "every
file was rejected", an empty store is not left behind as a finished build, and a README named on
the command line is not stored as a council paper."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT

from evidence.cli import cli


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_an_empty_folder_says_no_documents_were_found_and_leaves_no_store(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "e.db"
    result = runner.invoke(cli, ["build", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 1
    assert (
        "no documents were found there" in result.output and "rejected" not in result.output.split("Error")[1]
    )
    assert "0 documents" not in result.output
    assert not db.exists()


def test_an_existing_store_is_kept_and_its_record_does_not_say_finished(runner, tmp_path):
    db = tmp_path / "e.db"
    (tmp_path / "empty").mkdir()
    conn = sqlite3.connect(db)
    conn.close()  # an empty file: a store with nothing in it
    result = runner.invoke(cli, ["build", str(tmp_path / "empty"), "--db", str(db)])
    assert result.exit_code == 1 and db.exists()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("select outcome from builds").fetchall() == [("nothing usable",)]
    finally:
        conn.close()


@pytest.mark.parametrize("readme", [ROOT / "README.md", CORPUS / "README.md"])
def test_a_readme_named_on_the_command_line_is_not_stored_as_a_paper(runner, tmp_path, readme):
    db = tmp_path / "e.db"
    result = runner.invoke(cli, ["build", str(readme), "--db", str(db)])
    assert result.exit_code == 1
    assert "README, SOURCES, LICENCE or CHANGELOG file describes a folder of papers" in result.output
    assert "1 file: 0 extracted, 0 unchanged, 1 rejected" in result.output
    assert not db.exists()
