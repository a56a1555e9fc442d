"""The hand-drawn recurrences the recurrence model learns from and is measured on.

A gold file has the shape of ../shared/gold/recurrence_dev.json: `items` (every
recommendation of every report, keyed by file), `pairs` (consecutive inspections of an
authority, every one read in full) and `links` (the recurrences a careful reader drew). The
seeds' recurs_in links (tests/data/links_expected.json) are read into the same shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from extract.errors import EvidenceError
from extract.records import Recommendation
from extract.vocab import RECURS_IN

from .inspections import Doc
from .model import json_list
from .recurrence import CANDIDATE_AGREEMENT, Repeats
from .score import Encoder

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "recurrence_dev.json"
# Recurrences drawn blind for 24 more authorities, three by three; sets a-d were first held
# out and measured once, then learned from; g-j were drawn to learn from (a fresh held-out set
# is drawn for each measure: tests/data/recurrence_holdout_*).
LABELLED = tuple(ROOT / "tests" / "data" / f"recurrence_labelled_{s}.json" for s in "abcdghij")
# The recurrences drawn among the seeds' reports, on hand-built rows (tests/data).
SEED_ROWS = ROOT / "tests" / "data" / "link_rows.json"
SEED_LINKS = ROOT / "tests" / "data" / "links_expected.json"


def load_gold(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise EvidenceError(
            f"{path}: cannot read the hand-drawn recurrences ({err}); give a JSON file shaped like "
            "../shared/gold/recurrence_dev.json"
        ) from err
    missing = [k for k in ("items", "pairs", "links") if k not in data]
    if missing:
        raise EvidenceError(
            f"{path}: no {', '.join(missing)} in it; give a file shaped like ../shared/gold/recurrence_dev.json"
        )
    return data  # type: ignore[no-any-return]


def training_golds() -> list[dict[str, object]]:
    """Every labelled file the shipped model learns from, and the seeds' recurrences."""
    return [load_gold(p) for p in (DEFAULT_GOLD, *LABELLED)] + [seed_gold()]


def seed_gold(rows_path: Path = SEED_ROWS, links_path: Path = SEED_LINKS) -> dict[str, object]:
    """The `recurs_in` links of tests/data/links_expected.json between inspections (and the
    restatements standing in for one), in the shape of a gold file:
    every report of the seeds' authorities (one copy of each) and every restated inspection
    that is not stored is an item list, and every earlier-later pair of them was read."""
    from .evaluate import resolve
    from .inspections import rows_to_docs

    rows = json.loads(rows_path.read_text(encoding="utf-8"))
    # Repeats of a peer review's areas were drawn after the model was fixed: they measure it
    # (tests/test_linker.py) and are not learned from.
    expected = [
        e
        for e in json.loads(links_path.read_text(encoding="utf-8"))["links"]
        if e["relation"] == RECURS_IN and "|peer_review_letter|" not in e["target"]["doc"]
    ]
    documents, tables = rows["documents"], {t: rows[t] for t in ("recommendations", "actions", "area_links")}
    docs = rows_to_docs(documents)
    ends = [
        (resolve(e["source"], documents, tables), resolve(e["target"], documents, tables)) for e in expected
    ]
    targets = {t for _, ts in ends for t in ts}
    recs = {r["id"]: r for r in tables["recommendations"]}
    listed = seed_items(tables["recommendations"], docs, targets)
    pairs = seed_pairs(listed, docs)
    links = [
        {
            "authority": docs[recs[t]["document_id"]].authority,
            "earlier_file": recs[t]["document_id"],
            "earlier_ref": t,
            "later_file": recs[s]["document_id"],
            "later_ref": s,
            "confidence": "high",
        }
        for sources, targets_ in ends
        for s in sources
        for t in targets_
        if recs[s]["document_id"] in listed
    ]
    return {"items": listed, "pairs": pairs, "links": links}


def seed_pairs(listed: dict[str, list[dict[str, object]]], docs: dict[str, Doc]) -> list[dict[str, str]]:
    """Every earlier-later pair of an authority's item lists: each was read."""
    by_authority: dict[str, list[str]] = {}
    for ident in sorted(listed, key=lambda d: docs[d].date or ""):
        by_authority.setdefault(docs[ident].authority or "", []).append(ident)
    return [
        {"authority": authority, "earlier_file": a, "later_file": b}
        for authority, idents in by_authority.items()
        for n, a in enumerate(idents)
        for b in idents[n + 1 :]
        if (docs[a].date or "") < (docs[b].date or "")
    ]


def seed_items(
    recommendations: list[dict[str, Any]], docs: dict[str, Doc], targets: set[str]
) -> dict[str, list[dict[str, object]]]:
    """The item lists of the seed gold, by document: each inspection's original items, and the
    restatements a seed link names, in their documents' order."""
    from .inspections import ORIGINAL_KINDS

    recs = {r["id"]: r for r in recommendations}
    listed: dict[str, list[dict[str, object]]] = {}
    for row in recommendations:
        doc = docs[row["document_id"]]
        original = doc.is_inspection and doc.parent_id is None and row.get("kind") in ORIGINAL_KINDS
        if original or row["id"] in targets and not doc.is_inspection:
            item = {
                "ref": row["id"],
                "text": row["text"],
                "body": row.get("body"),
                "sub_items": row.get("sub_items"),
            }
            listed.setdefault(doc.id, []).append(item)
    for items in listed.values():
        items.sort(key=lambda i: (recs[str(i["ref"])].get("position") or 0, str(i["ref"])))
    return listed


def gold_recs(file: str, items: list[dict[str, object]]) -> list[Recommendation]:
    return [
        Recommendation(
            id=f"{file}|{item['ref']}",
            document_id=file,
            page=0,  # a gold item, read from no page
            kind="recommendation",
            text=str(item["text"]),
            body=str(item.get("body") or ""),
            section=str(item.get("section") or ""),
            sub_items=tuple(json_list(item.get("sub_items"))),
        )
        for item in items
    ]


def best_candidates(
    encoder: Encoder,
    later: list[Recommendation],
    earlier: list[Recommendation],
    floor: float = CANDIDATE_AGREEMENT,
) -> dict[tuple[int, int], np.ndarray]:
    """The features of each (later item, earlier recommendation) pair whose texts agree at
    least `floor`, at its best bullet."""
    best: dict[tuple[int, int], np.ndarray] = {}
    for c in Repeats(encoder, later, earlier).candidates(floor):
        key = (c.later, c.earlier)
        if key not in best or c.x[0] > best[key][0]:
            best[key] = c.x
    return best
