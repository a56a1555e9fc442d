"""What a PDF that reads badly says about its cause, so that its message gives the right fix.

A damaged report (a flipped byte, a lost block) still opens in pdfium, and loses text in ways
the rest of extraction then trips on: a first page with no text cannot say what the document
is; a font that lost its map to Unicode gives font codes. The fix for those is a new copy of
the file, not moving it out of the folder. `diagnosed` turns a failure into that advice;
`notes_of` lists what a reader should know of a file that was stored (see `extract.quality`).
"""

from __future__ import annotations

from .document import Document
from .errors import DocumentError
from .quality import Reading, note_kind, note_page, reading_of
from .records import Extraction, Judgement, Recommendation

# The start of the classifier's message for a document it cannot place.
UNPLACED = "cannot tell what kind of document this is"
# Grades of a report that need not list anything to improve.
NOTHING_TO_IMPROVE = ("Outstanding", "Good")


def diagnosed(doc: Document, exc: DocumentError) -> DocumentError:
    """The error to give for `exc`, raised while extracting `doc`: for a PDF that cannot be
    placed, the damage that explains it, if any is seen."""
    if not doc.is_pdf or not exc.reason.startswith(UNPLACED):
        return exc
    lost = first_page_lost(doc)
    if lost:
        return lost
    notes = list(doc.notes) + empty_pages(doc)
    if notes:
        # a note on the whole file says "damaged" itself; a page's says only what it shows
        damage = notes[0] if note_kind(notes[0]) == "file" else f"the PDF reads as damaged ({notes[0]})"
        return DocumentError(
            doc.path,
            f"{damage}, so what kind of document it is cannot be told: re-download it or re-save it from a PDF viewer",
        )
    # nothing tells a damaged report from a document of another kind: say both
    return DocumentError(doc.path, f"{exc.reason}; if it is one of these, it may be damaged: re-download it")


def first_page_lost(doc: Document) -> DocumentError | None:
    """A PDF whose first page gives no text while the pages after it do cannot say what it
    is (its title is on that page): the file is damaged there, and the fix is a new copy,
    not moving it out of the folder."""
    if not (doc.is_pdf and len(doc.pages) > 1 and doc.pages[0].number == 1 and not doc.pages[0].lines):
        return None
    if not any(page.lines for page in doc.pages[1:]):
        # text was found (else the loader says "no text layer"), but only running headers
        # and page numbers: the pages' own content is what was lost
        return DocumentError(
            doc.path,
            "the PDF gives no text but its running headers and page numbers: its pages are probably "
            "damaged; re-download it or re-save it from a PDF viewer",
        )
    return DocumentError(
        doc.path,
        f"page 1 gives no text while pages 2 to {len(doc.pages)} do, so what the document is cannot be "
        "read from its first page: the file is probably damaged there; re-download it or re-save it from "
        "a PDF viewer (if page 1 is a scanned cover, run OCR on it: `ocrmypdf in.pdf out.pdf`)",
    )


def empty_pages(doc: Document) -> list[str]:
    """A page of a PDF with no text at all, between pages with text: no report of the
    national collection has one (a chart has its title, a blank page its notice), so it is a
    page whose content was lost."""
    if not doc.is_pdf or sum(1 for page in doc.pages if page.lines) * 2 < len(doc.pages):
        return []
    return [f"page {page.number} gives no text" for page in doc.pages[:-1] if not page.lines]


def notes_of(doc: Document, extraction: Extraction) -> tuple[str, ...]:
    """The loader's notes on the document's pages, a note for each page with a row whose text
    reads as garbled (font codes in a row whose page is mostly good), and one for a PDF report
    that should have recommendations and has none."""
    notes = list(doc.notes) + empty_pages(doc)
    noted = {note_page(note) for note in notes}
    for record in extraction.records:
        text = getattr(record, "text", None)
        page = getattr(record, "page", None)
        if text and page and page not in noted and reads_garbled(reading_of(text)):
            noted.add(page)
            notes.append(f"page {page} has a row that reads as garbled text (font codes: a damaged font?)")
    return tuple(sorted(notes, key=note_page)) + missing_items(doc, extraction)


def reads_garbled(row: Reading) -> bool:
    """A row in font codes: two garbled runs, or one that is a fifth of its letters (a lone
    acronym such as "(CYPPSDG)" in a long row is print)."""
    return row.garbled >= 2 or row.garbled_letters * 5 >= row.letters > 0


def missing_items(doc: Document, extraction: Extraction) -> tuple[str, ...]:
    """A PDF inspection report with no recommendations is whole only when its grades say there
    is nothing to improve (every one good or outstanding: five such in the national
    collection, and no other); otherwise its pages that hold them were lost."""
    if not doc.is_pdf or extraction.documents[0].doc_type != "inspection_report":
        return ()
    if any(isinstance(record, Recommendation) for record in extraction.records):
        return ()
    grades = [record.grade for record in extraction.records if isinstance(record, Judgement)]
    if grades and all(grade in NOTHING_TO_IMPROVE for grade in grades):
        return ()
    shown = f"grades {', '.join(sorted(set(grades)))}" if grades else "no grades"
    return (f"no recommendations were found in this inspection report ({shown})",)
