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
from .load import load
from .pack import split_pack
from .parsers import BUILTIN
from .records import DocumentInfo, Extraction, Recommendation, Record
from .registry import parsers_for, use_builtin
from .vocab import INSPECTION_TYPES

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
    parts = split_pack(doc)
    if parts:
        return extract_pack(doc, parts)
    info = make_info(doc, doc.lines, None, None)
    return Extraction(documents=(info,), records=tuple(parse(doc, info)))


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
        if info.doc_type in INSPECTION_TYPES and info.date is None:
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
