"""Shared fixtures: where the real documents are, and small PDFs made on the spot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extract.document import Document
from extract.records import DocumentInfo

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# The bundled council papers without the Ofsted reports (PDFs) bundled beside them: what the
# tests of the build's mechanics copy and edit.
PAPERS_ONLY = shutil.ignore_patterns("*.pdf")
SHARED = ROOT.parent / "shared"
OFSTED = SHARED / "corpus" / "ofsted"
GOLD = SHARED / "gold" / "seeds.json"
EXPECTED = ROOT / "tests" / "expected"


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
    """Hand-checked expectations for the real reports, keyed by file name."""
    out: dict = {}
    for path in sorted(EXPECTED.glob("ofsted_*.json")):
        out.update(json.loads(path.read_text()))
    return out


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
    return hits / len(expected), hits / len(got) if got else 0.0
