"""`evidence eval`: precision and recall of the store against hand-checked expectations.

The expectations file has the shape of gold/seeds.json: one object per file name with its
document fields and lists of recommendations, actions, findings, judgements and measures.
An item matches when its key fields agree and its text agrees once whitespace, quotes and
case are folded; one-to-one, in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract.vocab import fold

from .store import Store

Item = dict[str, Any]

# Document fields compared exactly.
DOCUMENT_FIELDS = ("doc_type", "authority", "date", "framework")


def key_recommendation(item: Item) -> tuple[str, str]:
    return (fold(item.get("label")), fold(item.get("text")))


def key_action(item: Item) -> tuple[str, str, str, str]:
    return (
        fold(item.get("label")),
        fold(item.get("text")),
        fold(item.get("target_date")),
        fold(item.get("lead")),
    )


def key_finding(item: Item) -> tuple[str, str]:
    return (fold(item.get("kind")), fold(item.get("text")))


def key_judgement(item: Item) -> tuple[str, str]:
    return (fold(item.get("area")).rstrip("."), fold(item.get("grade")))


def key_measure(item: Item) -> tuple[str, str, str]:
    values = item.get("values") or {}
    if isinstance(values, str):
        values = json.loads(values)
    return (fold(item.get("ref")), fold(item.get("name")), fold(json.dumps(values, sort_keys=True)))


FIELDS: dict[str, tuple[str, Callable[[Item], tuple[str, ...]]]] = {
    "recommendations": ("recommendations", key_recommendation),
    "actions": ("actions", key_action),
    "findings": ("findings", key_finding),
    "judgements": ("judgements", key_judgement),
    "measures": ("measures", key_measure),
}


def expected_items(entry: Item, field: str) -> list[Item]:
    items = entry.get(field) or []
    if field == "recommendations":
        # the store keeps only the kinds the contract has (gold marks the others contract_kind null)
        items = [i for i in items if i.get("contract_kind", i.get("kind")) is not None]
    return items


def score(expected: list[Item], found: list[Item], key: Callable[[Item], tuple[str, ...]]) -> dict[str, Any]:
    pool: dict[tuple[str, ...], int] = {}
    for item in found:
        k = key(item)
        pool[k] = pool.get(k, 0) + 1
    matched = 0
    missing = []
    for item in expected:
        k = key(item)
        if pool.get(k):
            pool[k] -= 1
            matched += 1
        else:
            missing.append(k)
    extra = [k for k, n in pool.items() for _ in range(n)]
    return {
        "expected": len(expected),
        "found": len(found),
        "matched": matched,
        "precision": round(matched / len(found), 3) if found else (1.0 if not expected else 0.0),
        "recall": round(matched / len(expected), 3) if expected else 1.0,
        "missing": [" | ".join(k)[:160] for k in missing],
        "unexpected": [" | ".join(k)[:160] for k in extra],
    }


def stored_items(store: Store, document_ids: list[str], table: str) -> list[Item]:
    marks = ", ".join("?" for _ in document_ids)
    rows = store.query(f"select * from {table} where document_id in ({marks})", document_ids)
    if table == "actions":
        for row in rows:
            row.setdefault("target_date", row.get("target_date"))
    return rows


def evaluate(expected_path: str, db: str) -> dict[str, Any]:
    expected = json.loads(Path(expected_path).read_text())
    store = Store(db)
    try:
        tops = {
            Path(row["path"]).name: row
            for row in store.query("select * from documents where parent_id is null")
        }
        report: dict[str, Any] = {}
        for name, entry in expected.items():
            top = tops.get(name)
            if top is None:
                report[name] = {"missing": "not in the store"}
                continue
            ids = [top["id"]] + [
                r["id"] for r in store.query("select id from documents where parent_id = ?", [top["id"]])
            ]
            doc_scores: dict[str, Any] = {
                "document": {
                    f: {"expected": entry.get(f), "found": top.get(f)} for f in DOCUMENT_FIELDS if f in entry
                }
            }
            checked = entry.get("checked")
            for field, (table, key) in FIELDS.items():
                if checked is not None and field not in checked:
                    continue
                if field not in entry and checked is None:
                    continue
                doc_scores[field] = score(expected_items(entry, field), stored_items(store, ids, table), key)
            report[name] = doc_scores
        report["_total"] = totals(report)
        return report
    finally:
        store.close()


def totals(report: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in FIELDS:
        exp = found = matched = 0
        for scores in report.values():
            s = scores.get(field) if isinstance(scores, dict) else None
            if s:
                exp, found, matched = exp + s["expected"], found + s["found"], matched + s["matched"]
        if exp or found:
            out[field] = {
                "expected": exp,
                "found": found,
                "matched": matched,
                "precision": round(matched / found, 3) if found else 0.0,
                "recall": round(matched / exp, 3) if exp else 1.0,
            }
    docs = [s["document"] for s in report.values() if isinstance(s, dict) and "document" in s]
    for f in DOCUMENT_FIELDS:
        pairs = [d[f] for d in docs if f in d]
        if pairs:
            right = sum(1 for p in pairs if p["expected"] == p["found"])
            out[f] = {"expected": len(pairs), "matched": right, "accuracy": round(right / len(pairs), 3)}
    return out


def format_scores(report: dict[str, Any]) -> str:
    lines = [f"{'document / field':<64} {'exp':>5} {'found':>5} {'ok':>5} {'prec':>6} {'recall':>6}"]
    for name, scores in report.items():
        if name == "_total":
            continue
        if "missing" in scores and isinstance(scores["missing"], str):
            lines.append(f"{name[:64]:<64} not in the store")
            continue
        wrong = [
            f"{f}={v['found']!r} (expected {v['expected']!r})"
            for f, v in scores["document"].items()
            if v["expected"] != v["found"]
        ]
        lines.append(name[:80] + ("" if not wrong else "  [" + "; ".join(wrong) + "]"))
        for field, s in scores.items():
            if field == "document":
                continue
            lines.append(
                f"  {field:<62} {s['expected']:>5} {s['found']:>5} {s['matched']:>5} {s['precision']:>6.3f} {s['recall']:>6.3f}"
            )
    lines.append("total")
    for field, s in report["_total"].items():
        if "precision" in s:
            lines.append(
                f"  {field:<62} {s['expected']:>5} {s['found']:>5} {s['matched']:>5} {s['precision']:>6.3f} {s['recall']:>6.3f}"
            )
        else:
            lines.append(
                f"  {field:<62} {s['expected']:>5} {'':>5} {s['matched']:>5}  accuracy {s['accuracy']:.3f}"
            )
    return "\n".join(lines)
