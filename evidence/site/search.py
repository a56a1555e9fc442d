"""/search?q=: every text table at once, as an officer reads the answer.

Recommendations come first, one row per recommendation: a copy of it (the report bound again in a
committee pack), a plan's restatement of it or a plan area answering it is folded under the
recommendation it belongs to, not listed beside it as if it were another. Each result is named in
words (its authority, its inspection's year, its kind and number, or which of the list it is when
it has no number) and a recommendation shows its state. Actions, findings, judgements, measures and
documents follow, in that order.
"""

from __future__ import annotations

import html
import json
import sqlite3
from typing import Any

from markupsafe import Markup

from extract.errors import EvidenceError

from ..journeys.formatting import ordinal, shown_date
from .safety import checked_query

# Results shown per kind (each table's own page shows them all).
SEARCH_LIMIT = 20
# The order an officer reads the kinds in: what was asked first, then what answers it.
ORDER = ("recommendations", "actions", "findings", "judgements", "measures", "documents")
HEADINGS = {
    "recommendations": "Recommendations",
    "actions": "Actions of improvement plans",
    "findings": "Findings",
    "judgements": "Judgements",
    "measures": "Measures",
    "documents": "Documents",
}
# Kinds as a reader says them (the store keeps the field's names: area_for_consideration).
KIND_WORDS = {
    "recommendation": "recommendation",
    "area_for_consideration": "area for consideration",
    "key_priority": "key priority",
    "key_finding": "key finding",
    "restatement": "restatement",
    "plan_area": "improvement plan area",
    "committee_recommendation": "recommendation to committee",
    "strength": "strength",
    "weakness": "weakness",
    "area_of_strength": "area of strength",
    "area_for_improvement": "area for improvement",
    "inspection_report": "inspection report",
    "inspection_letter": "inspection letter",
    "peer_review_letter": "peer review letter",
    "improvement_plan": "improvement plan",
    "progress_report": "progress report",
    "committee_report": "committee report",
    "committee_pack": "committee pack",
}
# How an item is tied to the recommendation it is folded under, in words.
FOLDED_AS = {
    "restates": "also printed in",
    "responds_to": "answered in",
    "reports_status_of": "progress reported in",
    "copy": "the same report, also in",
}


def kind_words(kind: str | None) -> str:
    if not kind:
        return ""
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def item_name(row: dict[str, Any]) -> str:
    """A result's name in words: "Plymouth 2015 recommendation 2", "Plymouth 2019, the 4th
    recommendation (unnumbered)", or "Cheshire East 2013 area for consideration"."""
    year = (row.get("date") or "")[:4]
    who = " ".join(p for p in (row.get("authority"), year) if p)
    kind = kind_words(row.get("kind")) or {"actions": "action", "measures": "measure"}.get(row["tbl"], "")
    if row["tbl"] == "judgements":
        return f"{who} judgement: {row.get('label') or ''}".strip()
    if row.get("label"):
        return f"{who} {kind} {row['label']}".strip()
    if row["tbl"] == "recommendations" and row.get("position"):
        return f"{who}, {recommendation_name(row.get('kind'), '#' + str(row['position']))}".strip(", ")
    return f"{who} {kind}".strip()


def recommendation_name(kind: str | None, label: str | None) -> str:
    """A recommendation as a page heads it: "recommendation 6", or for one printed without a
    number (stored as "#5", its place in the list) "the 5th recommendation (unnumbered)"."""
    words = kind_words(kind) or "recommendation"
    if label and label.startswith("#") and label[1:].isdigit():
        return f"the {ordinal(int(label[1:]))} {words} (unnumbered)"
    return f"{words} {label or ''}".strip()


def journey_name(journey: dict[str, Any]) -> str:
    """An original recommendation's name in words, from its status row."""
    label = journey.get("label") or ""
    return item_name(
        {
            "tbl": "recommendations",
            "authority": journey.get("authority"),
            "date": journey.get("inspection_date") or journey.get("document_date"),
            "kind": journey.get("kind"),
            "label": None if label.startswith("#") else label,
            "position": journey.get("position"),
        }
    )


def where(row: dict[str, Any]) -> str:
    """Where to look: a text document's line, a PDF's page."""
    if row.get("line"):
        return f"line {row['line']}"
    return f"page {row['page']}" if row.get("page") else ""


def highlight(snippet: str) -> Markup:
    escaped = html.escape(snippet)
    return Markup(escaped.replace("[[", "<mark>").replace("]]", "</mark>"))


def search(
    path: str, q: str, journeys: dict[str, dict[str, Any]] | None = None, limit: int = SEARCH_LIMIT
) -> list[dict[str, Any]]:
    """Items whose text has every word of `q`, recommendations first and each once (its copies,
    restatements and plan areas under it, in `folded`), each with its name in words and, for a
    recommendation or an action, the state of its recommendation (from `journeys`: the status
    rows of the originals by id, as /journeys shows them)."""
    words = [w for w in checked_query(q).replace('"', " ").split() if w]
    if not words:
        return []
    journeys = journeys or {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        found = matches(conn, words, limit)
        owners = owners_of(conn, [r["id"] for r in found if r["tbl"] in ("recommendations", "actions")])
        recs = fold(conn, [r for r in found if r["tbl"] == "recommendations"], owners)
    except sqlite3.OperationalError as exc:
        raise EvidenceError(f"cannot search for {q!r}: {exc}; search for plain words") from None
    finally:
        conn.close()
    out = []
    for row in recs + [r for r in found if r["tbl"] != "recommendations"]:
        row["name"] = item_name(row)
        row["where"] = where(row)
        row["shown_date"] = shown_date(row.get("date"), row.get("date_precision"))
        row["kind_words"] = kind_words(row.get("kind"))
        owner = row["id"] if row["tbl"] == "recommendations" else owners.get(row["id"], (None, ""))[0]
        row["journey_id"] = owner
        journey = journeys.get(owner or "")
        row["state"] = journey["state"] if journey else None
        row["answers"] = journey_name(journey) if journey and owner != row["id"] else None
        row["order"] = ORDER.index(row["tbl"])
        row["heading"] = HEADINGS[row["tbl"]]
        row["snippet_html"] = highlight(row.get("snippet") or row.get("text") or "")
        for copy in row.get("folded", []):
            copy["where"] = where(copy)
            copy["shown_date"] = shown_date(copy.get("date"), copy.get("date_precision"))
        out.append(row)
    return sorted(out, key=lambda r: ORDER.index(r["tbl"]))


ITEM_SQL = """
    select '{table}' as tbl, r.id, {label} as label, {kind} as kind, {position} as position, r.text,
           r.page, r.line, d.id as document_id, d.title as document, d.doc_type, d.authority,
           coalesce(d.date, p.date) as date,
           case when d.date is null then p.date_precision else d.date_precision end as date_precision,
           {snippet} as snippet
    from {source}
    join documents d on d.id = r.document_id left join documents p on p.id = d.parent_id
"""


def matches(conn: sqlite3.Connection, words: list[str], limit: int) -> list[dict[str, Any]]:
    """Items by their full-text index (best first), then by their names."""
    found = text_matches(conn, " ".join(f'"{w}"' for w in words), limit)
    return found + name_matches(conn, [f"%{w.lower()}%" for w in words], limit)


def text_matches(conn: sqlite3.Connection, match: str, limit: int) -> list[dict[str, Any]]:
    """Recommendations, actions and findings by their full-text index, best first."""
    found: list[dict[str, Any]] = []
    for table, kind, position in (
        ("recommendations", "r.kind", "r.position"),
        ("actions", "null", "null"),
        ("findings", "r.kind", "null"),
    ):
        fts = f"{table}_fts"
        sql = ITEM_SQL.format(
            table=table,
            label="r.label" if table != "findings" else "null",
            kind=kind,
            position=position,
            snippet=f"snippet([{fts}], -1, '[[', ']]', '…', 24)",
            source=f"[{fts}] join [{table}] r on r.rowid = [{fts}].rowid",
        )
        query = f"{sql} where [{fts}] match ? order by rank limit ?"
        found.extend(dict(r) for r in conn.execute(query, (match, limit)))
    return found


def name_matches(conn: sqlite3.Connection, likes: list[str], limit: int) -> list[dict[str, Any]]:
    """Judgements, measures and documents whose names hold every word, oldest first."""
    found: list[dict[str, Any]] = []
    others = (  # table, label, the text searched and shown
        ("judgements", "r.area", "r.area || ': ' || r.grade"),
        ("measures", "coalesce(r.ref, '')", "coalesce(r.name, '') || ' ' || coalesce(r.table_title, '')"),
    )
    for table, label, text in others:
        where = " and ".join(f"lower({text}) like ?" for _ in likes)
        sql = ITEM_SQL.format(
            table=table, label=label, kind="null", position="null", snippet="null", source=f"[{table}] r"
        ).replace("r.text,", f"{text} as text,", 1)
        found.extend(
            dict(r) for r in conn.execute(f"{sql} where {where} order by d.date limit ?", (*likes, limit))
        )
    where = " and ".join("lower(coalesce(title, '') || ' ' || path) like ?" for _ in likes)
    sql = f"""
        select 'documents' as tbl, id, null as label, doc_type as kind, null as position, title as text,
               null as page, null as line, id as document_id, title as document, doc_type, authority, date,
               date_precision, null as snippet
        from documents where {where} order by date limit ?"""
    found.extend(dict(r) for r in conn.execute(sql, (*likes, limit)))
    return found


def owners_of(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    """For each id, the original recommendation whose journey it is part of and how (a
    recommendation that is itself an original owns itself); a repeat by a later inspection is
    not folded: it is a recommendation of its own."""
    if not ids:
        return {}
    listed = "(select value from json_each(?))"
    out: dict[str, tuple[str, str]] = {}
    for row in conn.execute(f"select id from journeys where id in {listed}", (json.dumps(ids),)):
        out[row["id"]] = (row["id"], "")
    for row in conn.execute(
        f"""select source_id, original_id, relation from journey_events
            where source_id in {listed} and relation != 'recurs_in' and (confirmed is null or confirmed != 0)
            order by relation = 'restates', score""",
        (json.dumps(ids),),
    ):
        if row["source_id"] not in out or out[row["source_id"]][1]:
            out[row["source_id"]] = (row["original_id"], row["relation"])
    for row in conn.execute(  # a report stored twice (its copy in a committee pack): its link to the kept one
        f"""select l.source_id, l.target_id from links l join journeys j on j.id = l.target_id
            where l.source_id in {listed} and l.relation = 'restates'
            and (l.confirmed is null or l.confirmed != 0) order by l.score""",
        (json.dumps(ids),),
    ):
        out.setdefault(row["source_id"], (row["target_id"], "copy"))
    return out


def fold(
    conn: sqlite3.Connection, recs: list[dict[str, Any]], owners: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """One row per recommendation: each found copy, restatement or answering plan area is put
    under the recommendation it belongs to (which is shown even when its own words differ)."""
    rows: dict[str, dict[str, Any]] = {}
    order: list[str] = []  # by the first hit of each recommendation or of what is folded under it
    later: list[tuple[str, str, dict[str, Any]]] = []
    for rec in recs:
        owner, relation = owners.get(rec["id"], (rec["id"], ""))
        if owner not in order:
            order.append(owner)
        if owner == rec["id"]:
            rows.setdefault(owner, rec | {"folded": []})
        else:
            later.append((owner, relation, rec))
    missing = [owner for owner, _, _ in later if owner not in rows]
    if missing:
        sql = ITEM_SQL.format(
            table="recommendations",
            label="r.label",
            kind="r.kind",
            position="r.position",
            snippet="null",
            source="recommendations r",
        )
        for r in conn.execute(
            f"{sql} where r.id in (select value from json_each(?))", (json.dumps(missing),)
        ):
            rows[r["id"]] = dict(r) | {"folded": []}
    for owner, relation, rec in later:
        rec["folded_as"] = FOLDED_AS.get(relation, "also in")
        rows[owner]["folded"].append(rec)
    return [rows[owner] for owner in order if owner in rows]
