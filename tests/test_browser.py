"""The site in a real browser, as a council officer uses it: search -> recommendation -> trace ->
source page -> the tracker, for one recommendation of each bundled authority, at a desktop
width and a 420 px phone width.

Drives Debian's chromium (/usr/bin/chromium: `apt-get install chromium`) with Playwright
(`pip install -e '.[browser]'`); never a browser downloaded by `playwright install`. Skipped
when either is missing. Set EVIDENCE_SCREENSHOTS=FOLDER to keep a screenshot of every step.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS

from evidence.build import build

CHROMIUM = Path("/usr/bin/chromium")
# It starts chromium and a Datasette: slow, like the tests that read ../shared.
pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: apt-get install chromium", allow_module_level=True)

WIDTHS = {"desktop": (1280, 900), "phone": (420, 860)}
AUTHORITIES = ("Cambridgeshire", "Cheshire East", "Plymouth")
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "evidence.db"
    build([CORPUS], path)
    return path


@pytest.fixture(scope="module")
def site(store: Path) -> Iterator[str]:
    """`evidence serve` on the store, as a user starts it; stopped with SIGTERM as a service
    manager stops it, which must leave nothing listening."""
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from evidence.cli import cli; cli()",
        "serve",
        "--db",
        str(store),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while not listening(port):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"evidence serve did not start: {server.communicate()[0].decode()[-2000:]}")
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)
    assert not listening(port), "Datasette still listens after SIGTERM to evidence serve"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def followed(store: Path, authority: str) -> sqlite3.Row:
    """The recommendation of an authority's inspection with the longest journey."""
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "select j.*, d.path from journeys j join documents d on d.id = j.document_id "
            "where j.authority = ? and not j.stands_in and d.path like '%.pdf' "
            "order by j.links desc, j.inspection_date, j.position limit 1",
            (authority,),
        ).fetchone()
    finally:
        conn.close()


def search_words(text: str) -> str:
    """Four long words of a text: enough to find it among the rest."""
    words = [w for w in re.findall(r"[A-Za-z]{7,}", text)]
    return " ".join(dict.fromkeys(words[:4]))


def shot(page, name: str) -> None:
    folder = os.environ.get("EVIDENCE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 2"))


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("authority", AUTHORITIES)
def test_an_officer_follows_a_recommendation_to_its_source_and_into_the_tracker(
    site, store, browser, authority, width, tmp_path
):
    rec = followed(store, authority)
    assert rec is not None, f"no {authority} inspection in the bundled corpus"
    name = f"{authority.lower().replace(' ', '-')}-{width}"
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)), accept_downloads=True
    )
    page = context.new_page()
    try:
        # search, from the home page
        page.goto(site + "/")
        page.fill("input[name=q]", search_words(rec["text"]))
        page.press("input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"/search\?q="))
        hit = page.locator(f'a.ev-hit[href="/trace/{rec["id"]}"]')
        assert hit.count() == 1, f"searching for {rec['text'][:60]!r} does not find {rec['id']}"
        shot(page, f"{name}-1-search")

        # the recommendation's journey
        hit.click()
        page.wait_for_url(f"**/trace/{rec['id']}")
        heading = page.locator("h1").inner_text()
        assert heading.startswith(f"{authority}:") and rec["state"] in heading
        assert page.locator(".ev-event").count() == rec["links"] + page.locator(".ev-event.ev-claims").count()
        assert no_sideways_scroll(page)
        shot(page, f"{name}-2-trace")

        # its source page: the PDF page as an image, the recommendation's box over it
        page.click("a.ev-source >> nth=0")
        page.wait_for_url(f"**/source/{rec['id']}")
        image = page.locator(".ev-page img")
        image.wait_for()
        assert page.evaluate("document.querySelector('.ev-page img').complete")
        assert page.evaluate("document.querySelector('.ev-page img').naturalWidth") > 500
        box, frame = page.locator("#item-box").bounding_box(), image.bounding_box()
        assert box and frame and box["height"] > 5 and box["width"] > 50
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1
        assert f"Page {rec['page']} of" in page.locator(".ev-pager").inner_text()
        pdf = page.locator("a.ev-file")
        assert pdf.get_attribute("href").endswith(f"#page={rec['page']}")
        response = page.request.get(site + pdf.get_attribute("href").split("#")[0])
        assert response.headers["content-type"] == "application/pdf"
        assert response.body() == Path(rec["path"]).read_bytes()
        assert no_sideways_scroll(page)
        shot(page, f"{name}-3-source")

        # a text paper of the journey: its passage among its lines
        page.go_back()
        page.wait_for_url(f"**/trace/{rec['id']}")
        texts = page.locator(".ev-event a.ev-source")
        if texts.count():
            texts.first.click()
            page.wait_for_url(re.compile(r"/source/"))
            if page.locator(".ev-lines").count():
                passage = page.locator("mark#passage")
                assert passage.count() == 1 and passage.is_visible()
                shot(page, f"{name}-4-passage")
            page.go_back()
            page.wait_for_url(f"**/trace/{rec['id']}")

        # into the tracker
        with page.expect_download() as download:
            page.click("a.ev-tracker")
        saved = tmp_path / "tracker.xlsx"
        download.value.save_as(saved)
        from openpyxl import load_workbook

        sheet = load_workbook(saved)["journeys"]
        header = [c.value for c in sheet[1]]
        rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
        assert {r["authority"] for r in rows} == {authority}
        mine = [r for r in rows if r["id"] == rec["id"]]
        assert len(mine) == 1 and mine[0]["state"] == rec["state"]
        link = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("id")].value == rec["id"])
        assert link[header.index("source")].hyperlink.target == f"{site}/source/{rec['id']}"
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_journeys_keep_their_column_labels_at_every_width(site, browser, width):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page = context.new_page()
    try:
        page.goto(site + "/journeys?authority=Plymouth")
        cell = page.locator("table.ev-cards td[data-label=State]").first
        label = page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle())
        if width == "phone":
            assert label == '"State"'  # a card names each of its values
        else:
            assert page.locator("table.ev-cards th", has_text="State").first.is_visible()
        assert no_sideways_scroll(page)
        shot(page, f"journeys-{width}")
    finally:
        context.close()


def test_the_dashboard_draws_every_panel(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        page.goto(site + "/-/dashboards/overview")
        charts = page.locator(".dashboard-card")
        assert charts.count() == 5
        page.wait_for_function(
            "document.querySelectorAll('.dashboard-card svg, .dashboard-card canvas').length >= 5"
        )
        shot(page, "dashboard")
        errors = page.locator(".dashboard-card", has_text="error")
        assert errors.count() == 0
    finally:
        context.close()


# -- the review page: a person settles a candidate repeat, and the journey follows --------------


@pytest.fixture()
def review_site(store: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`evidence serve --review` on a copy of the store (the verdicts given change it)."""
    import shutil

    copy = tmp_path / "evidence.db"
    shutil.copy(store, copy)
    port = free_port()
    command = [sys.executable, "-c", "from evidence.cli import cli; cli()", "serve", "--review"]
    server = subprocess.Popen(
        [*command, "--db", str(copy), "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + START_SECONDS
    while not listening(port):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"evidence serve --review did not start: {server.communicate()[0].decode()[-2000:]}")
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", copy
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


def candidate_to_settle(store: Path, authority: str) -> sqlite3.Row:
    """An unsettled candidate repeat of the authority whose earlier recommendation has not
    recurred (yet): a person's yes makes it recurred."""
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "select l.key, l.source_id, l.target_id, j.state, s.document_id as inspection from links l "
            "join recommendations s on s.id = l.source_id join documents d on d.id = s.document_id "
            "join journeys j on j.id = l.target_id "
            "where l.relation = 'recurs_in' and l.confirmed is null and d.authority = ? "
            "and j.state != 'recurred' order by d.date, s.position, l.score desc limit 1",
            (authority,),
        ).fetchone()
    finally:
        conn.close()


def left_for(page, authority: str) -> int:
    found = re.search(rf"(\d+) candidates? left for {authority}", page.locator("#ev-left").inner_text())
    assert found, page.locator("#ev-left").inner_text()
    return int(found.group(1))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_person_settles_a_candidate_on_the_review_page_and_its_journey_changes(review_site, browser, width):
    site, store = review_site
    authority = "Plymouth"
    wanted = candidate_to_settle(store, authority)
    assert wanted is not None, f"no unsettled candidate repeat of {authority} in the bundled corpus"
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page = context.new_page()
    try:
        page.goto(f"{site}/review?authority={authority}&inspection={wanted['inspection']}")
        left = left_for(page, authority)
        assert page.locator(".ev-readonly").count() == 0
        candidate = page.locator(f"#c-{wanted['key']}")
        assert page.locator(".ev-candidate mark").count() > 0  # the words candidates share with their items
        assert no_sideways_scroll(page)
        shot(page, f"review-{width}-1-before")

        # j goes to the next unsettled candidate; then this one, by a click, and y says yes
        focused = page.locator(".ev-candidate.ev-focus")
        first = focused.get_attribute("id")
        page.keyboard.press("j")
        if page.locator(".ev-candidate[data-unsettled]").count() > 1:
            assert focused.get_attribute("id") != first
        candidate.locator("blockquote").click()
        assert "ev-focus" in candidate.get_attribute("class")
        with page.expect_navigation():
            page.keyboard.press("y")
        assert left_for(page, authority) == left - 1
        settled = page.locator(f"#c-{wanted['key']}")
        assert "a person said yes" in settled.inner_text()
        assert no_sideways_scroll(page)
        shot(page, f"review-{width}-2-after")

        # the earlier recommendation's journey, at once
        settled.locator("a.ev-journey").click()
        page.wait_for_url(f"**/trace/{wanted['target_id']}")
        heading = page.locator("h1").inner_text()
        assert "recurred" in heading and wanted["state"] not in heading
        event = page.locator(".ev-event", has=page.locator(f'a[href="/source/{wanted["source_id"]}"]'))
        assert "confirmed" in event.first.inner_text()
        shot(page, f"review-{width}-3-trace")
    finally:
        context.close()


def test_the_review_page_is_read_only_unless_served_for_review(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site + "/review?authority=Plymouth")
        assert "evidence serve --review" in page.locator(".ev-readonly").inner_text()
        assert page.locator("button[value=yes]:not([disabled])").count() == 0
        page.keyboard.press("y")  # nothing is sent
        assert "/review" in page.url
    finally:
        context.close()
