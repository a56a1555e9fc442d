"""Shared fixtures: where the real documents are, and small PDFs made on the spot."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import extract.load
import extract.pipeline  # hands the built-in parsers to the registry, as a build does
from extract.document import Document
from extract.errors import DocumentError
from extract.records import DocumentInfo, Extraction

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# The bundled council papers without the Ofsted reports (PDFs) bundled beside them: what the
# tests of the build's mechanics copy and edit.
PAPERS_ONLY = shutil.ignore_patterns("*.pdf")
SHARED = ROOT.parent / "shared"
OFSTED = SHARED / "corpus" / "ofsted"
GOLD = SHARED / "gold" / "seeds.json"
EXPECTED = ROOT / "tests" / "expected"


SHARED_FIXTURES = {"ofsted_dir", "gold", "more_dir", "letters_dir", "new_dir", "seeds_dir"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that read ../shared are `slow`: `pytest -m "not slow"` skips them locally; CI runs all.
    A test reads it through a fixture, a skip that names it, or a parameter that is a file in it."""
    for item in items:
        reasons = [str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif")]
        uses_shared = SHARED_FIXTURES & set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {}).values()
        shared_params = any(isinstance(p, str | Path) and str(p).startswith(str(SHARED)) for p in params)
        if uses_shared or shared_params or any("shared" in reason for reason in reasons):
            item.add_marker(pytest.mark.slow)


# Extraction is pure: the same bytes under the same name give the same records wherever the
# file lies (a name can carry the date or authority). The build tests copy the bundled papers
# into folders of their own and build them again and again; what they test is the build, so
# a build here takes a file's records as they were extracted the first time (its path put
# right), keyed by name, content and extractor version. The bytes are read as the real reader
# reads them (a fifo, a device, a file too big are refused there), and a file that is refused
# or whose extraction fails goes to the real reader every time, to fail as it does. A worker
# process reads for real: the tests of workers test the extraction there.
EXTRACTED: dict[tuple[str, str, str], Extraction] = {}
TEST_PROCESS = os.getpid()


def extract_once(path: str) -> Extraction:
    if os.getpid() != TEST_PROCESS:
        return extract.pipeline.extract_file(path)
    try:
        data = extract.load.read_regular(path)
    except DocumentError:
        return extract.pipeline.extract_file(path)
    key = (Path(path).name, hashlib.sha256(data).hexdigest(), extract.pipeline.EXTRACTOR_VERSION)
    if key not in EXTRACTED:
        EXTRACTED[key] = extract.pipeline.extract_file(path)
    found = EXTRACTED[key]
    first = found.documents[0].path
    return replace(
        found, documents=tuple(replace(d, path=str(path)) if d.path == first else d for d in found.documents)
    )


@pytest.fixture(autouse=True)
def extracted_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build of a test takes its extractions from `extract_once` (tests that replace the
    build's reader replace this one), but for a test marked `real_reads`: one that compares a
    build here with a build of workers forked from here. pdfium's boxes of a page can move by
    0.1 pt once a page has been rendered in the process (the site's page images, in an earlier
    test), and forked workers inherit that; a cached extraction from before would not match."""
    import evidence.build.workers

    if request.node.get_closest_marker("real_reads"):
        return
    monkeypatch.setattr(evidence.build.workers, "extract_file", extract_once)


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus built once for the whole session. Read it, or copy it (`store_copy`)
    to change it: building it costs more than all the tests that only read it."""
    from evidence.build import build

    path = tmp_path_factory.mktemp("built") / "evidence.db"
    build([CORPUS], path)
    return path


def store_copy(built: Path, to: Path) -> Path:
    """A store of one's own, the same as `built` (its files are where `built`'s are)."""
    shutil.copyfile(built, to)
    return to


@pytest.fixture(scope="session")
def ofsted_dir() -> Path:
    if not OFSTED.is_dir():
        pytest.skip("../shared/corpus/ofsted is not here")
    return OFSTED


@pytest.fixture(scope="session")
def gold() -> dict:
    if not GOLD.exists():
        pytest.skip("../shared/gold/seeds.json is not here")
    return json.loads(GOLD.read_text())


def expected_reports() -> dict:
    """Hand-checked expectations for the real reports of ../shared/corpus/ofsted, keyed by file name."""
    out: dict = {}
    for name in ("ofsted_2012_2017.json", "ofsted_2018_2025.json"):  # ofsted_2025_26.json is another folder's
        out.update(json.loads((EXPECTED / name).read_text()))
    return out


def letters_of(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def assert_printed_order(text: str, items: list[str]) -> None:
    """Each item is found in `text` after the one before it: records come in reading order.
    Compared on letters and digits alone, so joins, bullets and line breaks do not matter."""
    folded, at = letters_of(text), 0
    for item in items:
        start = letters_of(item)[:40]
        found = folded.find(start, at)
        assert found >= 0, f"not found in printed order after offset {at}: {item[:80]!r}"
        at = found + 1


def make_pdf(path: Path, pages: list[list[str]], **canvas_options) -> Path:
    """A real PDF with these lines of text on its pages."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **canvas_options)
    for lines in pages:
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def info_for(doc: Document, doc_type: str, id: str = "t") -> DocumentInfo:
    """The DocumentInfo a parser receives, made by hand for a test."""
    return DocumentInfo(
        id=id, path=doc.path, sha256="x", doc_type=doc_type, pages=doc.page_count, extractor_version="test"
    )


def agreement(got: list[tuple], expected: list[tuple]) -> tuple[float, float]:
    """(recall, precision) of `got` against `expected`, counting duplicates."""
    remaining = list(expected)
    hits = 0
    for item in got:
        if item in remaining:
            remaining.remove(item)
            hits += 1
    return (hits / len(expected) if expected else 1.0), (hits / len(got) if got else 0.0)


# Every table a build writes, and the columns that say when or where it ran, not what it found.
STORED_TABLES = (
    "documents",
    "document_paths",
    "recommendations",
    "actions",
    "findings",
    "judgements",
    "measures",
    "area_links",
    "links",
    "journeys",
    "journey_events",
    "problems",
    "readings",
)
WHEN = {"built_at", "seen_at", "at", "started_at", "finished_at", "pid", "host", "summary"}


def store_contents(db: Path) -> dict[str, list[str]]:
    """What a store holds, table by table and in a fixed order, without when it was built:
    two builds that found the same things compare equal."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in STORED_TABLES:
            columns = [c[1] for c in conn.execute(f"pragma table_info({table})") if c[1] not in WHEN]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(map(repr, conn.execute(f"select {quoted} from {table}")))
        return out
    finally:
        conn.close()
