"""The command line: summaries, messages and exit codes as a user sees them."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS, PAPERS_ONLY, ROOT, store_copy

from evidence.cli import cli


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_a_build_without_folders_says_it_reads_the_bundled_corpus(runner, tmp_path):
    # run from another folder, it read the corpus beside the installed package without a word
    result = runner.invoke(cli, ["build", "--db", str(tmp_path / "e.db"), "--workers", "1"])
    assert result.exit_code == 0
    assert f"Reading the bundled corpus, {CORPUS}" in result.output


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


@pytest.mark.slow  # starts processes of its own (the default workers)
def test_build_lists_rejected_files_and_still_succeeds(runner, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
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


def test_export_writes_the_tracker(runner, tmp_path, built_corpus):
    db = store_copy(built_corpus, tmp_path / "e.db")
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


@pytest.mark.slow  # starts processes of its own (the default workers)
def test_the_store_is_not_read_as_a_document(runner, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    runner.invoke(cli, ["build", str(folder), "--db", str(folder / "e.db")])
    again = runner.invoke(cli, ["build", str(folder), "--db", str(folder / "e.db")])
    assert "0 rejected" in again.output


def test_export_to_a_folder_that_does_not_exist_says_so(runner, tmp_path, bundled):
    db = bundled
    result = runner.invoke(
        cli, ["export", "--db", str(db), "--format", "json", "--out", str(tmp_path / "no" / "t.json")]
    )
    assert result.exit_code == 1
    assert "the folder" in result.output and "does not exist" in result.output


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, built_corpus) -> str:
    return str(store_copy(built_corpus, tmp_path_factory.mktemp("bundled") / "e.db"))


def test_status_takes_a_word_of_an_authority_and_lists_them_all_when_unknown(runner, bundled):
    result = runner.invoke(cli, ["status", "--db", bundled, "--authority", "cheshire", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["authority"] for r in json.loads(result.output)} == {"Cheshire East"}
    unknown = runner.invoke(cli, ["status", "--db", bundled, "--authority", "Nowhere"])
    assert unknown.exit_code == 1
    assert (
        "no authority 'Nowhere'" in unknown.output
        and "Cambridgeshire, Cheshire East, Plymouth" in unknown.output
    )


def test_status_and_trace_are_as_of_today_unless_asked(runner, bundled):
    from datetime import date

    today = runner.invoke(cli, ["status", "--db", bundled, "--json"])
    assert {r["as_of"] for r in json.loads(today.output)} == {date.today().isoformat()}
    early = runner.invoke(cli, ["trace", "Plymouth 2015 6", "--db", bundled, "--as-of", "2015-01-06"])
    later = runner.invoke(cli, ["trace", "Plymouth 2015 6", "--db", bundled, "--as-of", "2016-01-01"])
    assert "State as of 2015-01-06: PLANNED" in early.output
    assert "State as of 2016-01-01: OVERDUE" in later.output


def test_trace_of_something_unknown_says_how_to_list_what_exists(runner, bundled):
    for ref in ("Cheshire East 2011 6", "no-such-id"):
        result = runner.invoke(cli, ["trace", ref, "--db", bundled])
        assert result.exit_code == 1
        assert "`evidence status --db" in result.output and "lists every recommendation" in result.output
    year = runner.invoke(cli, ["trace", "Cheshire East 2011 6", "--db", bundled])
    assert "inspections of 2015-09-15, 2020-01-09" in year.output


def test_serve_warns_when_it_is_open_to_the_network(runner, bundled, monkeypatch):
    import io
    import subprocess

    started = []

    class Datasette:
        def __init__(self, command, **options):
            started.append(command)
            self.stdin = io.BytesIO()  # where serve writes the metadata

        def wait(self):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Datasette)
    result = runner.invoke(cli, ["serve", "--db", bundled, "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0
    assert "Warning: --host 0.0.0.0 serves the store beyond this machine" in result.output
    assert "anyone who can reach port 8123 can read every table and run SQL" in result.output
    assert started and started[0][-4:] == ["--port", "8123", "--host", "0.0.0.0"]
    quiet = runner.invoke(cli, ["serve", "--db", bundled])
    assert "Warning" not in quiet.output


@pytest.mark.slow  # starts processes of its own
def test_sigterm_to_serve_stops_datasette(bundled):
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    command = [sys.executable, "-c", "from evidence.cli import cli; cli()", "serve", "--db", bundled]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not listening():
            assert server.poll() is None and time.monotonic() < deadline, "evidence serve did not start"
            time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
        assert not listening()
    finally:
        if server.poll() is None:
            server.kill()


def test_the_readmes_trace_examples_work_on_the_bundled_store(runner, bundled):
    """Each `evidence trace` example of the README runs on the store `make build` makes (the
    bundled corpus); the first shows a recurrence the linker's own hand-checked cases hold
    right (tests/test_linker.py: reflective supervision asked again as "management oversight
    and supervision"), not the recording one its strict xfail marks wrong."""
    readme = (ROOT / "README.md").read_text()
    examples = re.findall(r"^(?:\.venv/bin/)?evidence trace (\"[^\"]+\"(?: --as-of \S+)?)", readme, re.M)
    assert examples
    for example in examples:
        result = runner.invoke(cli, ["trace", *shlex.split(example), "--db", bundled])
        assert result.exit_code == 0 and "State as of" in result.output, example
    first = runner.invoke(cli, ["trace", *shlex.split(examples[0]), "--db", bundled, "--json"])
    journey = json.loads(first.output)
    assert "supervision is reflective" in journey["recommendation"]["text"]
    # the repeats the tool asserts (suggestions are candidates for a person, not repeats)
    recurrences = [
        e["text"] for e in journey["events"] if e["relation"] == "recurs_in" and e["method"] != "suggested"
    ]
    assert journey["state"] == "recurred" and recurrences
    assert all("management oversight and supervision" in text for text in recurrences)
