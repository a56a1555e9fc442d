"""What a PDF that cannot be placed says of its damage (extract/diagnose.py)."""

from __future__ import annotations

import pytest

from extract.diagnose import UNPLACED, diagnosed
from extract.document import Document, Line, Page
from extract.errors import DocumentError


def unplaced_pdf(note: str) -> tuple[Document, DocumentError]:
    pages = tuple(Page(n, (Line("Some words of a page", n, n),)) for n in (1, 2))
    doc = Document("x.pdf", "0" * 64, pages, is_pdf=True, notes=(note,))
    return doc, DocumentError(doc.path, f"{UNPLACED} (no title line)")


@pytest.mark.parametrize(
    "note, said",
    [
        (
            "the file is damaged (a part of it cannot be read)",
            "the file is damaged (a part of it cannot be read), so",
        ),
        ("page 2 gives no text", "the PDF reads as damaged (page 2 gives no text), so"),
    ],
)
def test_a_damaged_pdf_that_cannot_be_placed_says_its_damage_once(note, said):
    reason = diagnosed(*unplaced_pdf(note)).reason
    assert reason.startswith(said) and reason.count("damaged") == 1 and "re-download it" in reason
