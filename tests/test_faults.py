"""The build under real faults: kills, odd names, special files, damaged and joined PDFs, huge
lines, copies in two folders, a store changed by hand. What a user would check: nothing
hangs, every bad file is one line naming it, and the store keeps every good row."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import damage
import pytest
from click.testing import CliRunner
from conftest import CORPUS, PAPERS_ONLY, ROOT, make_pdf

import evidence.build.run as build_module
import evidence.build.workers as workers_module
from evidence.build import BuildOptions, build
from evidence.build.workers import safe_extract
from evidence.cli import cli
from evidence.store import Store
from extract.errors import DocumentError
from extract.load import load
from extract.pipeline import extract_file as real_extract_file

RECORD_TABLES = ("recommendations", "actions", "findings", "judgements", "measures", "area_links")
PLAN = "plymouth_2015-01-06_draft-improvement-plan.txt"
LETTER = "cheshire-east_2013-01-17_lga-peer-review-letter.txt"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def within(seconds: float, func: Callable[[], Any]) -> Any:
    """`func()`, failing the test (instead of hanging the suite) if it has not returned in time."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = func()
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row a reader sees, without the build times."""
    with sqlite3.connect(db) as conn:
        out = {}
        for table in ("documents", "document_paths", *RECORD_TABLES, "links", "journeys", "journey_events"):
            columns = [row[1] for row in conn.execute(f"pragma table_info({table})")]
            keep = [c for c in columns if c not in ("built_at", "seen_at")]
            names = ", ".join(f'"{c}"' for c in keep)
            out[table] = sorted(conn.execute(f"select {names} from {table}").fetchall())
        return out


def sound(db: Path) -> None:
    """What `kill -9` must never leave: a damaged file, a row without its document, a link or a
    journey event naming a row that is gone."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
    store = Store(db)
    try:
        assert set(store.dangling().values()) == {0}, store.dangling()
    finally:
        store.close()


def items_at(db: Path, name: str) -> int:
    with sqlite3.connect(db) as conn:
        ids = "select id from documents where path like ? or parent_id in (select id from documents where path like ?)"
        return sum(
            conn.execute(
                f"select count(*) from {t} where document_id in ({ids})", [f"%{name}"] * 2
            ).fetchone()[0]
            for t in RECORD_TABLES
        )


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    return folder


# -- files known by their content and every place they are found -------------------------


def test_a_copy_in_a_second_folder_never_takes_the_first_folders_document(tmp_path):
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    b.mkdir()
    shutil.copy(CORPUS / PLAN, a / "plan.txt")
    db = tmp_path / "m.db"
    build([a], db)
    before = items_at(db, "plan.txt")
    shutil.copy(a / "plan.txt", b / "copy.txt")
    second = build([b], db)
    assert [Path(p).name for p in second.unchanged] == ["copy.txt"]
    (b / "copy.txt").unlink()
    third = build([b], db)
    assert third.removed == []
    assert items_at(db, "plan.txt") == before > 0
    with sqlite3.connect(db) as conn:
        assert [Path(p).name for (p,) in conn.execute("select path from document_paths")] == ["plan.txt"]


def test_a_document_goes_with_its_last_place(tmp_path):
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    b.mkdir()
    shutil.copy(CORPUS / PLAN, a / "plan.txt")
    shutil.copy(CORPUS / PLAN, b / "copy.txt")
    db = tmp_path / "m.db"
    build([a], db)
    build([b], db)
    (a / "plan.txt").unlink()
    assert build([a], db).removed == []
    with sqlite3.connect(db) as conn:  # still found in B, and named by it now
        assert [Path(p).name for (p,) in conn.execute("select path from documents")] == ["copy.txt"]
    (b / "copy.txt").unlink()
    assert [Path(p).name for p in build([b], db).removed] == ["copy.txt"]
    assert build([b], db).counts["documents"] == 0


def test_a_copy_in_the_same_build_is_a_second_place(corpus, tmp_path):
    shutil.copy(corpus / LETTER, corpus / "copy.txt")
    db = tmp_path / "e.db"
    (reason,) = [r for _, r in build([corpus], db).failures]
    assert reason.endswith(": read once, and known at both places (remove one if the copy is not wanted)")
    (corpus / LETTER).unlink()
    assert build([corpus], db).removed == []
    with sqlite3.connect(db) as conn:
        paths = [
            Path(p).name for (p,) in conn.execute("select path from documents where path like '%copy.txt'")
        ]
    assert paths == ["copy.txt"]


def test_a_file_moved_within_its_folder_keeps_its_rows(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)["recommendations"]
    (corpus / PLAN).rename(corpus / "renamed.txt")
    result = build([corpus], db)
    assert result.removed == [] and result.extracted == []
    assert dump(db)["recommendations"] == before


# -- only regular files; every failure one line, whatever the file is called --------------


def test_a_name_that_is_not_utf8_is_one_line_and_stops_nothing(corpus, tmp_path):
    odd = os.fsdecode(bytes(corpus) + b"/a\xffb.txt")
    shutil.copy(CORPUS / LETTER, odd)
    (corpus / LETTER).unlink()
    (Path(os.fsdecode(bytes(corpus) + b"/bad\xfe.pdf"))).write_bytes(b"not a pdf")
    db = tmp_path / "e.db"
    result = build([corpus], db)
    assert [(Path(p).name, r.split(":")[0]) for p, r in result.failures] == [
        ("bad\\xfe.pdf", "this file is not a PDF (it has no PDF header)")
    ]
    assert "a\\xffb.txt" in {Path(p).name for p in result.extracted} and len(result.extracted) == 5
    again = build([corpus], db)
    assert again.removed == [] and len(again.unchanged) == 5
    runner = CliRunner()
    printed = runner.invoke(cli, ["build", str(corpus), "--db", str(db)])
    assert printed.exit_code == 0 and "bad\\xfe.pdf: this file is not a PDF" in printed.output


@pytest.mark.parametrize("name", ["x.pdf", "x.txt"])
def test_a_fifo_is_refused_without_waiting(tmp_path, name):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(CORPUS / PLAN, folder / PLAN)
    os.mkfifo(folder / name)
    result = within(60, lambda: build([folder], tmp_path / "e.db"))
    assert result.failures == [
        (str(folder / name), "this is a named pipe (FIFO), not a file: remove it from the folder")
    ]
    assert len(result.extracted) == 1


def test_a_device_is_refused_without_reading_it(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "z.txt").symlink_to("/dev/zero")
    result = within(60, lambda: build([folder], tmp_path / "e.db"))
    assert result.failures[0][1].startswith("this is a link to /dev/zero, outside the folders being built")
    named = within(60, lambda: build(["/dev/zero"], tmp_path / "d.db"))  # named on the command line
    assert named.failures == [("/dev/zero", "this is a device, not a file: remove it from the folder")]


def test_a_link_in_a_circle_says_what_to_do(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    result = build([folder], tmp_path / "e.db")
    assert {r for _, r in result.failures} == {
        "cannot be read (Too many levels of symbolic links): it is a link that leads round in a circle: "
        "point the link at the file itself, or remove it"
    }


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may read every file")
def test_a_file_you_may_not_read_says_what_to_do(tmp_path):
    path = tmp_path / "locked.txt"
    shutil.copy(CORPUS / PLAN, path)
    path.chmod(0)
    with pytest.raises(
        DocumentError, match=r"cannot be read \(Permission denied\): you may not read it: change"
    ):
        load(path)


def test_a_huge_line_is_refused_at_once(tmp_path):
    path = tmp_path / "one-line.txt"
    path.write_text("Plymouth City Council improvement plan " * 20_000)
    with pytest.raises(
        DocumentError, match=r"line 1 is 779,999 characters long, more than the 50,000 .* re-export it"
    ):
        within(60, lambda: load(path))


def test_a_file_too_big_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import extract.load as load_module

    monkeypatch.setattr(load_module, "MAX_TEXT_BYTES", 1_000)
    path = tmp_path / "dump.txt"
    path.write_text("x\n" * 1_000)
    with pytest.raises(
        DocumentError, match=r"dump\.txt: the file is 0 MB, more than the 0 MB one document may"
    ):
        load(path)


# -- damaged PDFs -----------------------------------------------------------------------------


def test_two_pdfs_joined_end_to_end_are_said(tmp_path):
    first = make_pdf(tmp_path / "a.pdf", [["Plymouth City Council", "first report"]]).read_bytes()
    second = make_pdf(tmp_path / "b.pdf", [["Cheshire East Council", "second report"]]).read_bytes()
    path = tmp_path / "joined.pdf"
    path.write_bytes(first + second)
    with pytest.raises(
        DocumentError, match=r"joined\.pdf: this file is 2 PDFs joined end to end, and only the last"
    ):
        load(path)


def test_a_page_that_fails_to_load_is_a_damaged_file(tmp_path):
    data = make_pdf(tmp_path / "a.pdf", [["page one"], ["page two"], ["page three"]]).read_bytes()
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data.replace(b"/Type /Page\n", b"/Type /Pxge\n", 1))
    with pytest.raises(
        DocumentError, match=r"damaged\.pdf: the PDF is damaged: page 1 of 3 cannot be read .* re-download"
    ):
        load(path)


def flip(data: bytes, count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


@pytest.mark.parametrize("seed", range(6))
def test_a_stored_report_with_flipped_bytes_loses_no_good_row(ofsted_dir, tmp_path, seed):
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "cheshire-east_2015-09-15.pdf"
    shutil.copy(ofsted_dir / report.name, report)
    db = tmp_path / "e.db"
    build([folder], db)
    before = dump(db)
    report.write_bytes(flip(report.read_bytes(), 20, seed))
    kept_or_as_good(db, before, build([folder], db))


def kept_or_as_good(db: Path, before: dict[str, list[tuple]], result: Any) -> None:
    """A damaged file is rejected and its stored rows stay, or it was read as well as before."""
    if result.extracted:  # the damage missed the text (pdfium mends a lost cross-reference table)
        assert sum(len(dump(db)[t]) for t in RECORD_TABLES) >= sum(len(before[t]) for t in RECORD_TABLES)
    else:
        assert dump(db) == before
        (reason,) = [r for _, r in result.failures]
        assert "re-download" in reason
        assert "the stored rows are kept" in reason or reason.endswith("earlier version are kept)")
    sound(db)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_report_loses_no_good_row(ofsted_dir, tmp_path, share):
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "plymouth_2015-01-06.pdf"
    shutil.copy(ofsted_dir / report.name, report)
    db = tmp_path / "e.db"
    build([folder], db)
    before = dump(db)
    data = report.read_bytes()
    report.write_bytes(data[: int(len(data) * share)])
    kept_or_as_good(db, before, build([folder], db))


def test_a_file_that_now_reads_much_worse_keeps_its_rows_until_accepted(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    plan = corpus / PLAN
    lines = plan.read_text().splitlines()
    plan.write_text("\n".join(lines[: len(lines) // 8]) + "\n")
    result = build([corpus], db)
    assert [Path(p).name for p in result.kept] == [PLAN]
    (reason,) = [r for p, r in result.failures if p.endswith(PLAN)]
    assert reason.startswith("it changed and now reads worse (")
    assert reason.endswith("if the new version is right, build with --accept-worse")
    assert dump(db)["actions"] == before["actions"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select reason from problems where path like ?", [f"%{PLAN}"]).fetchone() == (
            reason,
        )
    accepted = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db), "--accept-worse"])
    assert accepted.exit_code == 0 and "1 extracted" in accepted.output
    assert dump(db)["actions"] != before["actions"]


# -- a build is one unit; kill -9 at any moment ---------------------------------------------


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` and that are not yet dead (zombies count as dead)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_build(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    code = "import sys; from evidence.cli import cli; cli(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, "build", str(folder), "--db", str(db), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def two_states(ofsted_dir, tmp_path_factory) -> dict[str, Any]:
    """A store built from a folder (old), the folder changed (every PDF with new bytes, one
    paper gone), and the store that a finished build of the changed folder makes (new)."""
    root = tmp_path_factory.mktemp("kill")
    folder = root / "docs"
    shutil.copytree(CORPUS, folder, ignore=PAPERS_ONLY)
    for path in sorted(ofsted_dir.glob("*.pdf"))[:16]:
        shutil.copy(path, folder / path.name)
    old = root / "old.db"
    build([folder], old)
    for path in folder.glob("*.pdf"):
        with path.open("ab") as handle:
            handle.write(b"\n% changed\n")  # new bytes, same text: every report is read again
    (folder / LETTER).unlink()
    new = root / "new.db"
    shutil.copy(old, new)
    started = time.monotonic()
    finished = start_build(folder, new, "--workers", "2")
    assert finished.wait(300) == 0, finished.stdout.read() if finished.stdout else ""
    return {
        "folder": folder,
        "old": old,
        "old_rows": dump(old),
        "new_rows": dump(new),
        "seconds": time.monotonic() - started,
    }


@linux_only
@pytest.mark.parametrize("moment", [0.15, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97])
def test_a_kill_at_any_moment_leaves_the_last_build_or_the_new_one(two_states, tmp_path, moment):
    db = tmp_path / "e.db"
    shutil.copy(two_states["old"], db)
    process = start_build(two_states["folder"], db, "--workers", "2")
    time.sleep(two_states["seconds"] * moment)
    workers = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "workers outlived their build"
    sound(db)
    rows = dump(db)
    assert rows in (two_states["old_rows"], two_states["new_rows"])
    with sqlite3.connect(db) as conn:
        unfinished = conn.execute("select count(*) from builds where outcome is null").fetchone()[0]
    after = start_build(two_states["folder"], db)
    output = after.communicate(timeout=300)[0]
    assert after.returncode == 0, output
    assert ("did not finish (it was stopped)" in output) == bool(unfinished)
    assert dump(db) == two_states["new_rows"]
    sound(db)


@pytest.mark.slow  # starts processes of its own (the build it kills)
@pytest.mark.parametrize("step", ["link_store", "refresh_journeys"])
def test_a_kill_while_linking_leaves_no_dangling_link(corpus, tmp_path, monkeypatch, step):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    (corpus / PLAN).unlink()  # its actions go, and the links and journey events naming them
    real = getattr(build_module, step)

    def then_killed(store: Store, *rest: Any) -> Any:
        done = real(store, *rest)  # this step's rows are written: the build dies right after
        os.kill(os.getpid(), signal.SIGKILL)
        return done

    monkeypatch.setattr(build_module, step, then_killed)
    child = multiprocessing.get_context("fork").Process(target=build, args=([corpus], db))
    child.start()
    child.join(120)
    assert child.exitcode == -signal.SIGKILL
    sound(db)
    assert dump(db) == before
    monkeypatch.setattr(build_module, step, real)
    result = build([corpus], db)
    assert len(result.interrupted) == 1 and [Path(p).name for p in result.removed] == [PLAN]
    sound(db)


def test_a_build_that_fails_leaves_the_last_one_and_says_why(corpus, tmp_path, monkeypatch):
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    (corpus / PLAN).unlink()

    def broken(store: Store, *rest: Any) -> list[str]:
        raise RuntimeError("a bug in the linker")

    monkeypatch.setattr(build_module, "link_store", broken)
    with pytest.raises(RuntimeError, match="a bug in the linker"):
        build([corpus], db)
    assert dump(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("select outcome, summary from builds order by id desc limit 1").fetchone() == (
            "failed",
            "RuntimeError: a bug in the linker",
        )
    monkeypatch.undo()
    assert build([corpus], db).interrupted == []


@linux_only
def test_workers_end_with_their_build(ofsted_dir, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sorted(ofsted_dir.glob("*.pdf")):
        shutil.copy(path, folder / path.name)
    process = start_build(folder, tmp_path / "e.db", "--workers", "2")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        time.sleep(0.02)
    assert len(workers) == 2, "the build finished before its workers were seen"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if alive(w)]


def dies_on_the_letter(path: str) -> Any:
    """A worker that dies (as the out-of-memory killer or a crash in pdfium would end it)."""
    if path.endswith(LETTER):
        os._exit(9)
    return safe_extract(path)


@pytest.mark.slow  # starts processes of its own (two workers)
def test_a_worker_that_dies_costs_only_its_file(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(workers_module, "safe_extract", dies_on_the_letter)
    result = build([corpus], tmp_path / "e.db", BuildOptions(workers=2))
    assert [(Path(p).name, r.split(":")[0]) for p, r in result.failures] == [
        (LETTER, "the reader died on this file (out of memory, or a crash in the PDF library)")
    ]
    assert len(result.extracted) == 4


def takes_for_ever(path: str) -> Any:
    if path.endswith(LETTER):
        while True:
            time.sleep(1)
    return real_extract_file(path)


@pytest.mark.slow  # starts processes of its own
@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_that_takes_for_ever_is_stopped(corpus, tmp_path, monkeypatch, workers):
    monkeypatch.setattr(workers_module, "extract_file", takes_for_ever)
    monkeypatch.setattr(workers_module, "FILE_TIME_LIMIT", 1.0)
    result = build([corpus], tmp_path / "e.db", BuildOptions(workers=workers))
    assert [(Path(p).name, r.split(" (")[0]) for p, r in result.failures] == [
        (LETTER, "reading it took more than 1 s and was stopped")
    ]
    assert len(result.extracted) == 4


@pytest.mark.slow  # starts processes of its own
def test_two_builds_at_once_agree_with_one(corpus, tmp_path):
    one = tmp_path / "one.db"
    build([corpus], one)
    both = tmp_path / "both.db"
    first, second = start_build(corpus, both), start_build(corpus, both)
    for process in (first, second):
        output = process.communicate(timeout=300)[0]
        assert process.returncode == 0, output
    assert dump(both) == dump(one)
    sound(both)


def open_store_slowly(path: str, pause: float, answers: Any) -> None:
    """Open the store at `path`, pausing `pause` s in the middle of setting it up (when it has
    found a search index missing, before making it), and put what happened on `answers`."""
    import sqlite_utils

    real = sqlite_utils.db.Table.enable_fts

    def slow(self: Any, *args: Any, **kwargs: Any) -> Any:
        time.sleep(pause)
        return real(self, *args, **kwargs)

    sqlite_utils.db.Table.enable_fts = slow  # type: ignore[method-assign]
    try:
        Store(path).close()
        answers.put("opened")
    except Exception as exc:  # noqa: BLE001 - the test reads what went wrong
        answers.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow  # starts processes of its own
def test_two_builds_starting_together_on_a_new_store_take_turns_at_making_it(tmp_path):
    # The first is overtaken between finding a search index missing and making it; the second
    # made it meanwhile, and the first then failed "table ... already exists".
    path = str(tmp_path / "new.db")
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    first = context.Process(target=open_store_slowly, args=(path, 1.5, answers))
    second = context.Process(target=open_store_slowly, args=(path, 0.0, answers))
    first.start()
    time.sleep(0.5)
    second.start()
    for process in (first, second):
        process.join(30)
    assert [answers.get(timeout=5), answers.get(timeout=5)] == ["opened", "opened"]
    store = Store(path)
    try:
        assert store.db["recommendations_fts"].exists()
    finally:
        store.close()


def test_reading_the_store_does_not_wait_for_a_build(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("begin immediate")  # what a build holds while it works
    try:

        def count() -> int:
            store = Store(db)
            try:
                return store.counts()["documents"]
            finally:
                store.close()

        assert within(30, count) == 12
    finally:
        writer.execute("rollback")
        writer.close()


# -- a store damaged or interrupted: the build and `evidence doctor` -----------------------


def test_a_store_changed_by_hand_is_repaired_by_the_next_build(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    with sqlite3.connect(db) as conn:  # the sqlite3 shell: foreign keys off
        conn.execute("delete from documents where doc_type in ('committee_pack', 'improvement_plan')")
    result = build([corpus], db)
    assert len(result.extracted) == 2
    assert result.repaired and result.repaired[0].endswith(
        "rows whose document was gone (deleted by hand?) removed"
    )
    sound(db)


def test_doctor_finds_and_repairs_a_damaged_store(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    with sqlite3.connect(db) as conn:
        conn.execute("delete from recommendations where id in (select target_id from links)")
        conn.execute("insert into actions_fts (actions_fts) values ('delete-all')")
        conn.execute(
            "insert into builds (started_at, pid, host) values ('2026-01-01T00:00:00+00:00', 0, 'x')"
        )
    runner = CliRunner()
    result = runner.invoke(cli, ["doctor", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "The build started 2026-01-01T00:00:00+00:00 did not finish (it was stopped)" in result.output
    assert "links and journey events naming rows that are gone removed" in result.output
    assert "full-text search of actions rebuilt" in result.output
    assert "Links and journeys worked out again." in result.output
    assert "is sound:" in result.output
    sound(db)
    again = runner.invoke(cli, ["doctor", "--db", str(db)])
    assert again.output.splitlines() == [line for line in again.output.splitlines() if "is sound:" in line]


def test_doctor_says_what_to_do_with_a_damaged_file(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    data = bytearray(db.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\x00" * 200
    db.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["doctor", "--db", str(db)])
    assert result.exit_code == 1
    assert (
        "SQLite cannot repair it in place; build a new store" in result.output
        or "cannot be used" in result.output
    )


# -- export does not overwrite without --force --------------------------------------------


@pytest.fixture(scope="module")
def built(built_corpus: Path) -> Path:
    return built_corpus  # only read: export writes elsewhere


def test_export_does_not_overwrite_without_force(built, tmp_path):
    runner = CliRunner()
    out = tmp_path / "t.json"
    out.write_text("mine")
    refused = runner.invoke(cli, ["export", "--db", str(built), "--format", "json", "--out", str(out)])
    assert refused.exit_code == 1
    assert f"{out} already exists: pass --force to overwrite it, or another --out" in refused.output
    assert out.read_text() == "mine"
    forced = runner.invoke(
        cli, ["export", "--db", str(built), "--format", "json", "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0 and out.read_text().startswith("{")


def test_export_through_a_link_replaces_the_link_not_its_file(built, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "t.json"
    link.symlink_to(precious)
    runner = CliRunner()
    args = ["export", "--db", str(built), "--format", "json", "--out", str(link)]
    assert runner.invoke(cli, args).exit_code == 1
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert precious.read_text() == "keep me" and not link.is_symlink()


def test_export_where_a_file_stands_for_the_folder(built, tmp_path):
    out = tmp_path / "tracker"
    out.write_text("a file")
    result = CliRunner().invoke(cli, ["export", "--db", str(built), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"cannot write the CSV files into {out}: a file stands there" in result.output
    folder = tmp_path / "csv"
    args = ["export", "--db", str(built), "--format", "csv", "--out", str(folder)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and f"{folder / 'journeys.csv'} already exists: pass --force" in again.output


# -- the second round: garbled text, odd metadata, a damaged first page, odd names ------------


def test_a_bad_optional_metadata_field_does_not_reject_an_intact_report(tmp_path):
    path = tmp_path / "plymouth_2015-01-06.pdf"
    intact = (CORPUS / path.name).read_bytes()
    path.write_bytes(damage.with_info(intact, b"/Creator <FEFFD8000041> /Title (Plymouth)"))
    (tmp_path / "intact.pdf").write_bytes(intact)
    got, expected = real_extract_file(path), real_extract_file(tmp_path / "intact.pdf")
    assert [r.text for r in got.records if hasattr(r, "text")] == [
        r.text for r in expected.records if hasattr(r, "text")
    ]
    assert load(path).metadata["Creator"] == "\ufffdA"


def test_a_damaged_first_page_says_re_download(tmp_path):
    path = tmp_path / "plymouth_2015-01-06.pdf"
    path.write_bytes(damage.first_page(CORPUS.joinpath(path.name).read_bytes()))
    with pytest.raises(DocumentError, match=r"page 1 gives no text while pages 2 to 44 do.*re-download it"):
        real_extract_file(path)


def test_font_codes_instead_of_words_are_a_problem_on_a_first_build(ofsted_dir, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "northumberland_2016-04-14.pdf"
    report.write_bytes(damage.font_codes(ofsted_dir.joinpath(report.name).read_bytes(), 1))
    db = tmp_path / "e.db"
    result = build([folder], db)
    assert [Path(p).name for p in result.extracted] == [report.name]
    ((path, reason),) = result.noted
    assert reason.startswith("stored, but page 2 reads as garbled text (")
    assert reason.endswith("re-download the file (or re-save it from a PDF viewer) and build again")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select path, reason from problems").fetchall() == [(path, reason)]


def test_garbled_text_never_replaces_good_rows(ofsted_dir, tmp_path):
    """The issue's reproduction: mutation #139 of benchmarks/fuzz_faults.py at seed 7 cuts
    3,726 bytes at 327,426 out of this report: as many rows as before, some in font codes."""
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "northumberland_2016-04-14.pdf"
    shutil.copy(ofsted_dir / report.name, report)
    db = tmp_path / "e.db"
    build([folder], db)
    before = dump(db)
    data = report.read_bytes()
    report.write_bytes(data[:327_426] + data[327_426 + 3_726 :])
    result = build([folder], db)
    assert [Path(p).name for p in result.kept] == [report.name]
    (reason,) = [r for _, r in result.failures]
    assert re.match(
        r"it changed and now reads worse \([\d,]+ real words and \d+ garbled runs, against", reason
    )
    assert dump(db) == before


def test_a_build_waiting_for_another_says_so(corpus, tmp_path):
    db = tmp_path / "e.db"
    build([corpus], db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute(
        "insert into builds (started_at, pid, host) values ('2026-12-07T09:30:00+00:00', 4242, 'elsewhere')"
    )
    holder.execute("begin immediate")  # what a running build holds
    said: list[str] = []
    waiting = threading.Thread(
        target=lambda: build([corpus], db, BuildOptions(notice=said.append)), daemon=True
    )
    waiting.start()
    try:
        deadline = time.monotonic() + 30
        while not said and time.monotonic() < deadline:
            time.sleep(0.05)
        assert said == [
            "Waiting for the build started 2026-12-07T09:30:00+00:00 by process 4242 on elsewhere to finish "
            f"writing {db}: builds of one store run one after the other (stop this one with Ctrl+C)"
        ]
        assert waiting.is_alive()
    finally:
        holder.execute("rollback")
        holder.close()
    waiting.join(120)
    assert not waiting.is_alive()


def load_fuzzer() -> Any:
    spec = importlib.util.spec_from_file_location("fuzz_faults", ROOT / "benchmarks" / "fuzz_faults.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_fuzzer_on_a_small_sample_finds_nothing_crashed_hung_or_silent():
    """CI's share of benchmarks/fuzz_faults.py: three of each kind of damage to the bundled
    reports (the benchmark runs 500 over the national collection)."""
    fuzzer = load_fuzzer()
    tally, pdfs = fuzzer.fuzz([str(CORPUS)], 3 * 12, seed=0, timeout=120, jobs=2)
    total = tally.total
    assert pdfs == 7 and sum(total.values()) == 36
    found = {o: total[o] for o in ("crash", "hang", "wrong advice", "altered", "lost", "first silent")}
    assert found == dict.fromkeys(found, 0), "\n".join(fuzzer.report(tally))


def test_a_character_lost_from_every_row_keeps_the_stored_rows(corpus, tmp_path):
    """A font that lost a glyph (fuzzer seed 7 #390: every ’ of bolton_2023-10-27.pdf gone,
    as many rows as before), as a text export shows it."""
    db = tmp_path / "e.db"
    build([corpus], db)
    before = dump(db)
    plan = corpus / PLAN
    plan.write_text(plan.read_text().replace("-", " "))
    result = build([corpus], db)
    assert [Path(p).name for p in result.kept] == [PLAN]
    (reason,) = [r for p, r in result.failures if p.endswith(PLAN)]
    assert reason.startswith(
        "it changed and now reads worse (no “-” in its rows (a font that lost a character?)"
    )
    assert dump(db)["actions"] == before["actions"]


def test_a_pdf_whose_pages_lost_their_text_says_re_download(tmp_path):
    """Fuzzer seed 7 #98 (500 bytes of kirklees_2019-08-05.pdf flipped): every page's own text
    lost, its running header and page numbers left; it was "move it out of the folder"."""
    path = make_pdf(
        tmp_path / "damaged.pdf",
        [["Children's Services Improvement Board", f"Page {n} of 4"] for n in range(1, 5)],
    )
    with pytest.raises(
        DocumentError, match=r"damaged\.pdf: the PDF gives no text but its running headers .* re-download"
    ):
        real_extract_file(path)


def test_a_report_that_lost_its_recommendations_page_is_a_problem_on_a_first_build(tmp_path):
    """Fuzzer seed 1 #338 (500 bytes of east-sussex_2024-02-06.pdf flipped) read as a report
    with no recommendations at all, stored without a word on a first build."""
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "plymouth_2024-03-15.pdf"
    report.write_bytes(damage.page_lost((CORPUS / report.name).read_bytes(), 2))
    result = build([folder], tmp_path / "e.db")
    ((_, reason),) = result.noted
    assert reason.startswith("stored, but ")
    assert (
        "no recommendations were found in this inspection report (grades Requires improvement to be good); page 2 gives no text"
        in reason
    )
    assert "re-download the file" in reason


def test_bullets_in_control_codes_are_still_bullets(tmp_path):
    """Fuzzer seed 7 #35 (redbridge_2024-07-23.pdf): the bullet font lost its map to Unicode,
    "◼" came out as U+0084, and 2 of 14 rows went without a word (here 7 of 19)."""
    path = tmp_path / "cheshire-east_2024-05-16.pdf"
    path.write_bytes(damage.font_codes((CORPUS / path.name).read_bytes(), 2))
    damaged, intact = real_extract_file(path), real_extract_file(CORPUS / path.name)
    assert any(line.text.startswith("\x84") for line in load(path).lines)
    assert [getattr(r, "text", None) for r in damaged.records] == [
        getattr(r, "text", None) for r in intact.records
    ]
