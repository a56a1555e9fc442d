"""The site under faults: odd file names, a built file swapped for a link, huge ids and queries,
a store with no authority, a page too big to render, `kill -9` of `evidence serve`. What a user
would check: the site answers, says what is wrong in one line, and never serves a file that is
not the one that was built."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import CORPUS, ROOT, make_pdf, store_copy

from evidence.build import build
from evidence.site.process import metadata_for
from extract.load import real_path

TEMPLATES = ROOT / "evidence" / "site" / "templates"
PLAN = "plymouth_2015-01-06_draft-improvement-plan.txt"
LETTER = "cheshire-east_2013-01-17_lga-peer-review-letter.txt"
PROGRESS = "cheshire-east_2016-07_improvement-progress-report.txt"

datasette_app = pytest.importorskip("datasette.app")
pytest.importorskip("datasette_template_sql", reason="pip install datasette-template-sql")


def fetch(db: Path, path: str) -> Any:
    app = datasette_app.Datasette([str(db)], metadata=metadata_for(str(db)), template_dir=str(TEMPLATES))
    return asyncio.run(app.client.get(path))


def raw_get(db: Path, path: str, query: str = "") -> tuple[int, str]:
    """GET `path` as a server hands it over (no client tidies its dots or bounds its length)."""
    app = datasette_app.Datasette([str(db)], metadata=metadata_for(str(db)), template_dir=str(TEMPLATES))
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "headers": [(b"host", b"localhost")],
        "server": ("localhost", 80),
        "client": ("127.0.0.1", 1),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        await app.invoke_startup()
        await app.app()(scope, receive, send)

    asyncio.run(run())
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body.decode("utf-8", "replace")


def documents(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select id, path, sha256 from documents where parent_id is null order by path"
        ).fetchall()


def named(folder: Path, name: bytes) -> str:
    return os.fsdecode(bytes(folder) + b"/" + name)


# -- file names kept byte for byte ------------------------------------------------------------


def test_odd_names_are_never_one_file_and_each_is_served(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(CORPUS / LETTER, named(folder, b"a\xffb.txt"))  # not UTF-8
    shutil.copy(CORPUS / PLAN, named(folder, b"a\\xffb.txt"))  # the escape text itself
    shutil.copy(CORPUS / PROGRESS, named(folder, b"line\r\nbreak.txt"))
    db = tmp_path / "e.db"
    result = build([folder], db)
    assert len(result.extracted) == 3 and result.failures == []
    stored = documents(db)
    assert sorted(os.fsencode(Path(real_path(p)).name) for _, p, _ in stored) == [
        b"a\\xffb.txt",
        b"a\xffb.txt",
        b"line\r\nbreak.txt",
    ]
    for document_id, path, _ in stored:
        response = fetch(db, f"/-/file/{document_id}")
        assert response.status_code == 200, response.text
        assert response.content == Path(real_path(path)).read_bytes()
        assert "\n" not in response.headers["content-disposition"]
    again = build([folder], db)
    assert again.removed == [] and len(again.unchanged) == 3


# -- serving re-checks what it serves --------------------------------------------------------


def build_plan(where: Path) -> tuple[Path, Path]:
    """The plan alone in a folder of its own, built: (folder, store)."""
    folder = where / "f"
    folder.mkdir()
    shutil.copy(CORPUS / PLAN, folder / PLAN)
    db = where / "e.db"
    build([folder], db)
    return folder, db


@pytest.fixture(scope="module")
def plan_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Built once for the tests that only read it (the site only reads a store)."""
    return build_plan(tmp_path_factory.mktemp("plan"))


@pytest.fixture()
def own_plan_store(tmp_path: Path) -> tuple[Path, Path]:
    """Built for one test, which changes its folder or kills what serves it."""
    return build_plan(tmp_path)


def first_action(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id from actions order by id limit 1").fetchone()[0]


@pytest.mark.parametrize("swap", ["link to /etc/passwd", "another file", "a folder"])
def test_a_built_file_swapped_is_never_served(own_plan_store, swap):
    folder, db = own_plan_store
    ((document_id, _, _),) = documents(db)
    plan = folder / PLAN
    plan.unlink()
    if swap == "link to /etc/passwd":
        plan.symlink_to("/etc/passwd")
    elif swap == "another file":
        shutil.copy(CORPUS / LETTER, plan)
    else:
        plan.mkdir()
    served = fetch(db, f"/-/file/{document_id}")
    assert served.status_code == 404
    assert "root:" not in served.text and "Cheshire East" not in served.text
    assert "build the store again" in served.text or "build again" in served.text
    page = fetch(db, f"/source/{first_action(db)}")
    assert page.status_code == 200 and "root:" not in page.text
    assert PLAN in page.text and (
        "not a regular file" in page.text or "outside the folders" in page.text or "has changed" in page.text
    )
    assert str(plan.parent) not in page.text and "/etc" not in served.text  # the file by its name only


def test_a_file_is_served_with_nosniff(plan_store):
    _, db = plan_store
    ((document_id, _, _),) = documents(db)
    served = fetch(db, f"/-/file/{document_id}")
    assert served.status_code == 200 and served.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("size", [30_000, 100_000])
def test_a_huge_id_is_one_404_line_at_once(plan_store, capfd, size):
    _, db = plan_store
    for route in ("/source/", "/-/file/", "/-/page/"):
        path = route + "a" * size + ("/1.png" if route == "/-/page/" else "")
        status, text = raw_get(db, path)
        assert status == 404
        assert f"with an id of {size:,} characters: ids are at most 100" in text
    logged = [line for line in capfd.readouterr().err.splitlines() if line.strip()]
    assert len(logged) == 3 and all(line.startswith("404 GET /") and len(line) < 600 for line in logged)
    assert "Traceback" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/source/a/../b",
        "/-/file/../../../etc/passwd",
        "/.",
        "/-/file/..",
        "/source/%2e%2e",
    ],
)
def test_dots_in_a_url_are_a_404_or_a_redirect(plan_store, path):
    """A literal ../ was a 500: Datasette printed a traceback of no exception."""
    _, db = plan_store
    status, text = raw_get(db, path)
    assert status in (302, 404) and "root:" not in text


@pytest.mark.parametrize(
    ("q", "said"),
    [
        ("a" * 100_000, "the search is 100,000 characters long"),
        (" OR ".join(["care"] * 1_001), "the search is 8,004 characters long"),
        (" ".join(["care"] * 60), "the search has 60 words"),
    ],
)
def test_a_search_too_big_is_said_not_a_500(plan_store, q, said):
    _, db = plan_store
    status, text = raw_get(db, "/search", urlencode({"q": q}))
    assert status == 200
    assert f"Not searched: {said}" in text and "search for a few words" in text


# -- journeys ---------------------------------------------------------------------------------

ANYTOWN = """Inspection of Anytown local authority children's services

Inspection dates: 4 to 15 March 2024

What needs to improve?
- The quality of plans for children; and
- Support for care leavers.
"""


def test_journeys_with_a_recommendation_of_no_authority(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(CORPUS / "plymouth_2024-03-15.pdf", folder)
    (folder / "anytown.txt").write_text(ANYTOWN)
    db = tmp_path / "e.db"
    build([folder], db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from journeys where authority is null").fetchone()[0] == 2
    page = fetch(db, "/journeys")
    assert page.status_code == 200
    assert "(authority not known)" in page.text and "Support for care leavers" in page.text


def test_journeys_come_a_page_at_a_time(built_corpus, tmp_path, monkeypatch):
    from evidence.site import safety

    monkeypatch.setattr(safety, "LIMITS", safety.ServingLimits(journeys_per_page=3))
    monkeypatch.setattr("evidence.site.plugin.LIMITS", safety.LIMITS)
    db = store_copy(built_corpus, tmp_path / "e.db")
    with sqlite3.connect(db) as conn:
        total = conn.execute("select count(*) from journeys").fetchone()[0]
    pages = -(-total // 3)
    first, last = fetch(db, "/journeys"), fetch(db, f"/journeys?page={pages}")
    assert f"Page 1 of {pages}" in first.text and 'rel="next"' in first.text
    assert f"Page {pages} of {pages}" in last.text and 'rel="next"' not in last.text
    assert first.text.count("/trace/") < total
    assert (
        "Page 1 of" in fetch(db, "/journeys?page=" + "9" * 50).text
        or f"Page {pages} of" in fetch(db, "/journeys?page=" + "9" * 50).text
    )


# -- a page too big to render -----------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.5, 4.0])
def test_a_poster_page_is_rendered_within_the_pixel_budget(tmp_path, scale):
    from PIL import Image

    from evidence.site import safety, source

    path = make_pdf(
        tmp_path / "poster.pdf", [["Plymouth City Council", "a poster"]], pagesize=(14_400, 14_400)
    )
    png = source.render_page(str(path), 1, scale)
    width, height = Image.open(io.BytesIO(png)).size
    assert width * height <= safety.LIMITS.max_pixels and width > 1000


# -- evidence serve ends with Datasette -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def start_serve(db: Path, port: int, tmp: Path) -> subprocess.Popen:
    code = "import sys; from evidence.cli import cli; cli(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env=os.environ | {"TMPDIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow  # starts processes of its own
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_serve_leaves_nothing_listening_and_nothing_behind(own_plan_store, tmp_path):
    _, db = own_plan_store
    port, tmp = free_port(), tmp_path / "tmp"
    tmp.mkdir()
    serve = start_serve(db, port, tmp)
    datasette: list[int] = []
    try:
        assert listening(port, 60), "evidence serve did not start"
        datasette = children(serve.pid)
        serve.send_signal(signal.SIGKILL)
        serve.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in datasette) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert datasette and not [pid for pid in datasette if alive(pid)], "Datasette outlived evidence serve"
        assert list(tmp.iterdir()) == []
    finally:
        for pid in datasette:
            if alive(pid):  # left behind (the fault this test is about): not for the next test
                os.kill(pid, signal.SIGKILL)
    again = start_serve(db, port, tmp)
    try:
        assert listening(port, 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=10) as reply:
            assert reply.status == 200
    finally:
        again.terminate()
        again.wait(20)
