"""Precision and recall of links against links a careful reader drew by hand.

An expectation names its two items by reference, not by id, so that it survives rebuilds:
its document as 'authority|doc_type|date' ('pack': whether it sits inside a committee pack),
and the item by label, a text prefix, kind, section keyword, or for area_links the area and a
table-title keyword (see tests/data/links_expected.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from extract.vocab import fold

from .model import Link, Row


def doc_matches(doc: Row, docs: dict[str, Row], ref: Row) -> bool:
    parent = docs.get(doc.get("parent_id") or "") or {}
    authority, doc_type, date = ref["doc"].split("|")
    own = (
        doc.get("authority") or parent.get("authority"),
        doc["doc_type"],
        doc.get("date") or parent.get("date"),
    )
    if own != (authority, doc_type, date):
        return False
    return "pack" not in ref or ref["pack"] == bool(doc.get("parent_id"))


def row_matches(row: Row, ref: Row) -> bool:
    if "label" in ref and fold(row.get("label")) != fold(ref["label"]):
        return False
    if "kind" in ref and row.get("kind") != ref["kind"]:
        return False
    if "section" in ref and fold(ref["section"]) not in fold(row.get("section")):
        return False
    if "text" in ref and not fold(row.get("text")).startswith(fold(ref["text"])):
        return False
    if "area" in ref and (ref["area"] is None) != (not row.get("area")):
        return False
    if ref.get("area") and not fold(row.get("area")).startswith(fold(ref["area"])[:25]):
        return False
    if "table_title" in ref and fold(ref["table_title"]) not in fold(row.get("table_title")):
        return False
    labels = row.get("labels")
    return "labels" not in ref or ref["labels"] in (
        json.loads(labels) if isinstance(labels, str) else labels or []
    )


def resolve(ref: Row, documents: list[Row], tables: dict[str, list[Row]]) -> set[str]:
    docs = {d["id"]: d for d in documents}
    ids = {d["id"] for d in documents if doc_matches(d, docs, ref)}
    table = ref.get("table", "recommendations")
    return {row["id"] for row in tables[table] if row["document_id"] in ids and row_matches(row, ref)}


def covered_documents(expected: list[Row], documents: list[Row]) -> set[str]:
    """The documents the hand-drawn links are about: links elsewhere are not judged."""
    docs = {d["id"]: d for d in documents}
    refs = [item[end] for item in expected for end in ("source", "target")]
    return {d["id"] for d in documents for ref in refs if doc_matches(d, docs, ref)}


def measure(
    links: Iterable[Link], expected: list[Row], documents: list[Row], tables: dict[str, list[Row]]
) -> Row:
    """Precision and recall of `links` against the hand-drawn ones (a link counts when its
    source and target are the rows the expectation names, with the same relation); links
    between documents the expectations do not cover are left out."""
    wanted = []
    unresolved = []
    for item in expected:
        sources, targets = (
            resolve(item["source"], documents, tables),
            resolve(item["target"], documents, tables),
        )
        if not sources or not targets:
            unresolved.append(item)
        wanted.append((sources, targets, item["relation"]))
    scope = covered_documents(expected, documents)
    rows = {row["id"]: row["document_id"] for table in tables.values() for row in table}
    produced = [
        (link.source_id, link.target_id, link.relation)
        for link in links
        if rows.get(link.source_id) in scope and rows.get(link.target_id) in scope
    ]
    found = [w for w in wanted if any(s in w[0] and t in w[1] and r == w[2] for s, t, r in produced)]
    right = [p for p in produced if any(p[0] in w[0] and p[1] in w[1] and p[2] == w[2] for w in wanted)]
    return {
        "precision": len(right) / len(produced) if produced else 0.0,
        "recall": len(found) / len(wanted) if wanted else 0.0,
        "missed": [e for e, w in zip(expected, wanted, strict=False) if w not in found],
        "extra": [p for p in produced if p not in right],
        "unresolved": unresolved,
    }


def per_relation(
    links: list[Link], expected: list[Row], documents: list[Row], tables: dict[str, list[Row]]
) -> dict[str, tuple[float, float]]:
    """{relation: (precision, recall)}: recall against that relation's expectations, precision
    of that relation's links within every expected document (an extra link between documents
    the expectations cover is an error, whatever its relation)."""
    out = {}
    for relation in sorted({e["relation"] for e in expected}):
        ours = [link for link in links if link.relation == relation]
        recall = measure(ours, [e for e in expected if e["relation"] == relation], documents, tables)[
            "recall"
        ]
        out[relation] = (measure(ours, expected, documents, tables)["precision"], recall)
    return out
