"""Which documents are linked together: each authority's, oldest first, in a block with their
rows (the linker's stages run on one block at a time: link/stages.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extract.records import Action, AreaLink, Recommendation

from .inspections import Doc

# Documents whose listed findings are statements of progress on an inspection's asks.
STATUS_DOCS = ("progress_report",)
# Documents whose paragraphs under a heading that restates an inspection's item say what the
# council does about it (a committee report's "Areas for improvement", item by item).
RESPONSE_DOCS = ("committee_report",)


@dataclass
class Block:
    """One authority's documents, oldest first, with their rows."""

    authority: str
    docs: list[Doc]
    recs: dict[str, list[Recommendation]]
    actions: dict[str, list[Action]]
    area_links: dict[str, list[AreaLink]]
    findings: dict[str, list[Recommendation]]


def blocks(
    docs: dict[str, Doc],
    recs: list[Recommendation],
    actions: list[Action],
    area_links: list[AreaLink],
    findings: Sequence[Recommendation] = (),
) -> list[Block]:
    by_authority: dict[str, Block] = {}
    for ids in authority_documents(docs):
        authority = str(docs[ids[0]].authority)
        by_authority[authority] = Block(authority, [docs[i] for i in ids], {}, {}, {}, {})
    # each row under its document, in its authority's block (a row of no authority is linked to nothing)
    shelves: tuple[tuple[str, Sequence[Recommendation | Action | AreaLink]], ...] = (
        ("recs", recs),
        ("actions", actions),
        ("area_links", area_links),
    )
    for shelf, rows in shelves:
        for row in rows:
            owner = docs.get(row.document_id)
            if owner and owner.authority:
                getattr(by_authority[owner.authority], shelf).setdefault(owner.id, []).append(row)
    for finding in findings:
        owner = docs.get(finding.document_id)
        responds = owner is not None and owner.doc_type in RESPONSE_DOCS and finding.theme
        if owner and owner.authority and (owner.doc_type in STATUS_DOCS or responds):
            by_authority[owner.authority].findings.setdefault(owner.id, []).append(finding)
    for block in by_authority.values():
        for rows in block.recs.values():
            rows.sort(key=lambda r: (r.position, r.id))
    return list(by_authority.values())


def block_order(doc: Doc) -> tuple[str, bool, str]:
    """Oldest first; a document before the parts of a pack of the same day."""
    return (doc.date or "", doc.parent_id is not None, doc.id)


def authority_documents(docs: dict[str, Doc]) -> list[list[str]]:
    """Each authority's document ids, oldest first, authorities in the order of `blocks`."""
    by_authority: dict[str, list[str]] = {}
    for doc in sorted(docs.values(), key=block_order):
        if doc.authority:
            by_authority.setdefault(doc.authority, []).append(doc.id)
    return list(by_authority.values())
