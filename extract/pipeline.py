"""One file in, its documents and records out: load, split a pack, classify, parse.

Pure and picklable both ways, so `build` can run it in worker processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from . import EXTRACTOR_VERSION
from .classify import classify_lines, inspection_end, publication_mention
from .document import Document, Line
from .errors import DocumentError
from .load import load
from .pack import split_pack
from .parsers import BUILTIN
from .quality import reading_of
from .records import DocumentInfo, Extraction, Recommendation, Record
from .registry import parsers_for, use_builtin

# The built-in parsers run first, then any a plugin registered with @parser (extract/registry.py).
use_builtin(BUILTIN)

# Record ids are "<document id>-<prefix><n>", numbered per document and table in order.
ID_PREFIXES = {
    "Recommendation": "r",
    "Action": "a",
    "Finding": "f",
    "Judgement": "j",
    "Measure": "m",
    "AreaLink": "l",
}


def document_id(sha256: str) -> str:
    """Documents are named by their bytes, so a rebuild gives every row the same id."""
    return sha256[:16]


def extract_file(path: str | Path) -> Extraction:
    doc = load(path)
    try:
        extraction = extract_document(doc)
    except DocumentError as exc:
        raise first_page_lost(doc) or exc from None
    return replace(extraction, notes=notes_of(doc, extraction.records))


def extract_document(doc: Document) -> Extraction:
    parts = split_pack(doc)
    if parts:
        return extract_pack(doc, parts)
    info = make_info(doc, doc.lines, None, None)
    return Extraction(documents=(info,), records=tuple(parse(doc, info)))


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


def notes_of(doc: Document, records: Sequence[Record]) -> tuple[str, ...]:
    """The loader's notes on the document's pages, and a note for each page with a row whose
    text reads as garbled (font codes in a row whose page is mostly good)."""
    notes = list(doc.notes) + empty_pages(doc)
    noted = {int(note.split()[1]) for note in notes}
    for record in records:
        text = getattr(record, "text", None)
        page = getattr(record, "page", None)
        if text and page and page not in noted and reading_of(text).garbled:
            noted.add(page)
            notes.append(f"page {page} has a row that reads as garbled text (font codes: a damaged font?)")
    return tuple(sorted(notes, key=lambda note: int(note.split()[1])))


def make_info(
    doc: Document, lines: list[Line], doc_type: str | None, parent: DocumentInfo | None
) -> DocumentInfo:
    found = classify_lines(doc, lines, doc_type, use_file_name=parent is None)
    if parent is None:
        sha, ident = doc.sha256, document_id(doc.sha256)
    else:
        # a paper is this text in this pack: the same appendix bound in two packs is two rows
        text = "\n".join(line.text for line in lines)
        sha = hashlib.sha256(f"{parent.sha256}\n{text}".encode()).hexdigest()
        ident = f"{parent.id}-{lines[0].number}"
    return DocumentInfo(
        id=ident,
        path=doc.path,
        sha256=sha,
        doc_type=found.doc_type,
        pages=lines[-1].page - lines[0].page + 1,
        extractor_version=EXTRACTOR_VERSION,
        title=found.title,
        authority=found.authority or (parent.authority if parent else None),
        date=found.date,
        date_text=found.date_text,
        framework=found.framework,
        theme=found.theme,
        deep_dive=found.deep_dive,
        parent_id=parent.id if parent else None,
        first_page=lines[0].page,
        last_page=lines[-1].page,
        first_line=lines[0].number if not doc.is_pdf else None,
        last_line=lines[-1].number if not doc.is_pdf else None,
    )


def extract_pack(doc: Document, parts: list[tuple[str, list[Line]]]) -> Extraction:
    pack = make_info(doc, doc.lines, "committee_pack", None)
    infos = [pack]
    records: list[Record] = []
    for doc_type, lines in parts[1:]:
        info = make_info(doc, lines, doc_type, pack)
        if info.doc_type in ("inspection_report", "inspection_letter") and info.date is None:
            end = inspection_end(lines)
            mention = publication_mention(doc.text, end)
            info = replace(
                info, date=mention[0] if mention else end, date_text=mention[1] if mention else None
            )
        if info.title is None or info.doc_type in ("scorecard", "other") and len(info.title or "") < 12:
            paper = next(i for i in reversed(infos) if not (i.title or "").startswith("Appendix to: "))
            info = replace(info, title=f"Appendix to: {paper.title}")
        infos.append(info)
        records.extend(parse(doc.with_lines(lines), info))
    return Extraction(documents=tuple(infos), records=tuple(records))


def parse(doc: Document, info: DocumentInfo) -> list[Record]:
    records: list[Record] = []
    for func in parsers_for(info.doc_type):
        records.extend(func(doc, info))
    return number_records(records)


def number_records(records: Sequence[Record]) -> list[Record]:
    """Give each record its id and each recommendation its position in the document: several
    parsers may read one document, and each counts its own items from 1."""
    counts: dict[str, int] = {}
    out: list[Record] = []
    for record in records:
        prefix = ID_PREFIXES[type(record).__name__]
        counts[prefix] = counts.get(prefix, 0) + 1
        numbered = replace(record, id=f"{record.document_id}-{prefix}{counts[prefix]}")
        if isinstance(numbered, Recommendation):
            numbered = replace(numbered, position=counts[prefix])
        out.append(numbered)
    return out
