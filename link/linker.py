"""The linker: store rows in, scored and explained links out.

Every link points from the later item to the earlier one it answers, restates or repeats,
so the journey of a recommendation is every link whose target it is. Links never cross
authorities (documents are linked in blocks, one per authority: see link/stages.py),
except `same_theme`, which is off by default.
"""

from __future__ import annotations

import numpy as np

from .inspections import ORIGINAL_KINDS, Doc, rows_to_docs
from .learn import stored_models
from .model import Action, AreaLink, Link, LinkReport, Rec, Row, unique
from .score import Encoder, both_mention, score
from .stages import Linking, blocks

__all__ = ["Link", "LinkReport", "link_report", "link_rows"]

# Different authorities told the same thing (same_theme, off by default): near-identical text.
SAME_THEME_AGREEMENT = 0.85
TABLES = ("recommendations", "actions", "area_links", "findings")


def link_rows(documents: list[Row], tables: dict[str, list[Row]], same_theme: bool = False) -> list[Link]:
    return link_report(documents, tables, same_theme).links


def link_report(documents: list[Row], tables: dict[str, list[Row]], same_theme: bool = False) -> LinkReport:
    docs = rows_to_docs(documents)
    recs = [
        Rec.from_row(r)
        for r in tables.get("recommendations", [])
        if r.get("document_id") in docs and r.get("text")
    ]
    actions = [Action.from_row(r) for r in tables.get("actions", []) if r.get("document_id") in docs]
    area_links = [AreaLink.from_row(r) for r in tables.get("area_links", []) if r.get("document_id") in docs]
    findings = [
        Rec.from_row(r) for r in tables.get("findings", []) if r.get("document_id") in docs and r.get("text")
    ]
    originals = [r.text for r in recs if is_original(r, docs)]
    encoder = Encoder([r.text for r in recs] + [s for r in recs for s in r.sub_items], reference=originals)
    report = LinkReport()
    models = stored_models()
    for block in blocks(docs, recs, actions, area_links, findings):
        Linking(block, encoder, report, models["recurs_in"], models["reports_status_of"]).run()
    if same_theme:
        report.links.extend(same_theme_links(docs, recs, encoder))
    report.links = unique(report.links)
    kept = {(link.source_id, link.target_id) for link in report.links}
    report.suggestions = [s for s in unique(report.suggestions) if (s.source_id, s.target_id) not in kept]
    return report


def is_original(row: Rec, docs: dict[str, Doc]) -> bool:
    return docs[row.document_id].is_inspection and row.kind in ORIGINAL_KINDS


def same_theme_links(docs: dict[str, Doc], recs: list[Rec], encoder: Encoder) -> list[Link]:
    """Inspection recommendations of different authorities that say the same thing."""
    originals = [r for r in recs if is_original(r, docs)]
    encoded = encoder.encode([r.text for r in originals])
    agreement = score(encoded, encoded).agreement
    links = []
    for i, j in np.argwhere(np.triu(agreement, 1) >= SAME_THEME_AGREEMENT):
        a, b = originals[int(i)], originals[int(j)]
        da, db = docs[a.document_id], docs[b.document_id]
        if da.authority == db.authority:
            continue
        if (da.date or "", a.id) < (db.date or "", b.id):
            a, b, da, db = b, a, db, da
        words = ", ".join(both_mention(encoded.words[int(i)], encoded.words[int(j)], encoder.weights))
        evidence = f"different authorities ({da.authority}, {db.authority}); text agreement {agreement[i, j]:.2f}; both: {words}"
        value = round(float(agreement[i, j]), 3)
        links.append(
            Link(
                "recommendations",
                a.id,
                "recommendations",
                b.id,
                "same_theme",
                "similarity",
                value,
                evidence,
            )
        )
    return links
