"""A person's verdicts in words, verdicts that travel between stores, and the journeys of the
authorities a verdict changes (stored again without working out every other authority's).

A verdict is `yes`, `partly` or `no`. `partly` is a yes (the later item repeats part of the
earlier one): it is stored as confirmed, the relation stays, and the word is kept beside it in
`link_verdicts.verdict`. Like every verdict it lives under the link's key, made from the
fingerprints of its two rows, so it survives every rebuild, and a file of verdicts exported
from one store finds the same pairs in a rebuild of the same documents anywhere else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from extract.errors import EvidenceError

from .links import VERDICTS, verdict_word, write_verdict
from .rows import LISTED, insert_all

if TYPE_CHECKING:
    from .db import Store

# What "repeats none of these" keeps as the note of each candidate it rejects.
NONE_OF_THESE = "repeats none of these"
# The fields each exported verdict must have to be found again.
NEEDED = ("verdict", "relation", "method", "source", "target")


@dataclass(frozen=True)
class Imported:
    """What an import did: verdicts whose link is in this store, verdicts for pairs this store
    does not hold (kept: a build that finds both rows applies them), and verdicts left as they
    were because this store's own is newer."""

    matched: int
    not_found: int
    kept_newer: int

    def summary(self) -> str:
        total = self.matched + self.not_found
        line = (
            f"{total} verdict{'' if total == 1 else 's'}: {self.matched} matched a link in this store, "
            f"{self.not_found} not found in this store (kept: a build that finds both items applies them)"
        )
        if self.kept_newer:
            line += f"; {self.kept_newer} left as this store has them (its own verdict is newer)"
        return line


def settle_item_none(store: Store, table: str, ident: str, note: str | None = None) -> int:
    """ "Repeats none of these": every candidate repeat of the item, no. Returns how many."""
    keys = candidate_keys(store, table, ident)
    if not keys:
        raise EvidenceError(f"{table} {ident!r} has no candidate repeats: check the id on /review")
    with store.transaction():
        for key in keys:
            store.set_verdict(key, "no", note or NONE_OF_THESE)
    return len(keys)


def authorities_judged(store: Store, keys: list[str]) -> set[str]:
    """The authorities whose journeys the links with these keys are part of: their targets'."""
    found = store.db.execute(
        "select distinct coalesce(d.authority, '') from links l join recommendations t on t.id = l.target_id"
        f" join documents d on d.id = t.document_id where l.key in {LISTED}",
        [json.dumps(keys)],
    )
    return {row[0] for row in found}


def candidate_keys(store: Store, table: str, ident: str) -> list[str]:
    """The keys of an item's candidate repeats."""
    found = store.db.execute(
        "select key from links where source_table = ? and source_id = ? and relation = 'recurs_in'",
        [table, ident],
    )
    return [row[0] for row in found]


def replace_journeys_of(
    store: Store, documents: list[str], journeys: list[dict[str, Any]], events: list[dict[str, Any]]
) -> None:
    """Store these documents' journeys in place of those stored (the journeys of whole
    authorities, worked out again after a verdict), in one transaction."""
    listed = json.dumps(documents)
    with store.transaction() as conn:
        conn.execute(
            f"delete from journey_events where original_id in (select id from journeys where document_id in {LISTED})",
            [listed],
        )
        conn.execute(f"delete from journeys where document_id in {LISTED}", [listed])
        store.add_journeys(journeys, events)


# -- export and import -------------------------------------------------------------------

EXPORTED = """
select v.key, v.confirmed, v.verdict, v.relation, v.method, v.note, v.at,
       v.source_table, v.source_id, v.source_fp, v.target_table, v.target_id, v.target_fp
from link_verdicts v order by v.at, v.key
"""


def export_verdicts(store: Store) -> list[dict[str, Any]]:
    """Every verdict, keyed by the fingerprints of its two items, with what a reader needs to
    see what was decided (authority, documents, labels, texts of the items this store holds)."""
    out = []
    for row in store.db.query(EXPORTED):
        out.append(
            {
                "verdict": verdict_word(row["confirmed"], row["verdict"]),
                "relation": row["relation"],
                "method": row["method"],
                "note": row["note"],
                "at": row["at"],
                "source": context_of(store, row["source_table"], row["source_id"], row["source_fp"]),
                "target": context_of(store, row["target_table"], row["target_id"], row["target_fp"]),
                "key": row["key"],
            }
        )
    return out


def context_of(store: Store, table: str, ident: str, fp: str | None) -> dict[str, Any]:
    """An item as an exported verdict names it: its fingerprint (what finds it again), and
    what it says, while this store holds it."""
    item: dict[str, Any] = {"fingerprint": fp, "table": table}
    if table not in CONTEXT_SQL:
        return item
    found = list(store.db.query(CONTEXT_SQL[table], [ident]))
    if found:
        item |= found[0]
    return item


CONTEXT_SQL = {
    "recommendations": "select d.authority, d.doc_type, d.date, d.title as document, x.label, x.text"
    " from recommendations x join documents d on d.id = x.document_id where x.id = ?",
    "actions": "select d.authority, d.doc_type, d.date, d.title as document, x.label, x.text"
    " from actions x join documents d on d.id = x.document_id where x.id = ?",
    "findings": "select d.authority, d.doc_type, d.date, d.title as document, x.kind as label, x.text"
    " from findings x join documents d on d.id = x.document_id where x.id = ?",
    "area_links": "select d.authority, d.doc_type, d.date, d.title as document, x.labels as label,"
    " x.area as text from area_links x join documents d on d.id = x.document_id where x.id = ?",
}


def import_verdicts(store: Store, entries: list[dict[str, Any]]) -> Imported:
    """Take verdicts exported from a store (of these documents, or of some of them). Each is
    found by its items' fingerprints; a newer verdict in this store is left as it is."""
    checked = [checked_entry(entry, n) for n, entry in enumerate(entries, 1)]
    matched = not_found = kept = 0
    with store.transaction() as conn:
        prints = {fp: ends for ends, fp in store.fingerprints().items()}
        ours = {row[0]: row[1] for row in conn.execute("select key, at from link_verdicts")}
        for entry in checked:
            source, target = entry["source"]["fingerprint"], entry["target"]["fingerprint"]
            key = pair_key(source, entry["relation"], target)
            if key in ours and (ours[key] or "") > (entry.get("at") or ""):
                kept += 1
                continue
            in_store = conn.execute("select 1 from links where key = ?", [key]).fetchone() is not None
            if entry["method"] == "manual":
                in_store = source in prints and target in prints
            matched += in_store
            not_found += not in_store
            store_imported(conn, key, entry, prints)
        # the links people drew, between the items this store holds
        insert_all(store.db, "links", store.manual_links(conn), replace=True)
    return Imported(matched, not_found, kept)


def store_imported(conn: Any, key: str, entry: dict[str, Any], prints: dict[str, tuple[str, str]]) -> None:
    """An imported verdict, kept under its key, named by the ids its items have in this store
    (none while the store does not hold them), and applied to its link if the store has it."""
    source, target = entry["source"], entry["target"]
    ends = prints.get(source["fingerprint"], (source.get("table"), None))
    far = prints.get(target["fingerprint"], (target.get("table"), None))
    link = {
        "source_table": ends[0],
        "source_id": ends[1],
        "target_table": far[0],
        "target_id": far[1],
        "relation": entry["relation"],
        "method": entry["method"],
        "source_fp": source["fingerprint"],
        "target_fp": target["fingerprint"],
    }
    write_verdict(conn, key, entry["verdict"], link, entry.get("note"), entry.get("at"))


def checked_entry(entry: Any, n: int) -> dict[str, Any]:
    if not isinstance(entry, dict) or any(name not in entry for name in NEEDED):
        raise EvidenceError(
            f"verdict {n} of the file is not one `evidence review --export` writes: "
            f"each needs {', '.join(NEEDED)}"
        )
    if entry["verdict"] not in VERDICTS:
        raise EvidenceError(
            f"verdict {n} of the file says {entry['verdict']!r}, not one of {', '.join(VERDICTS)}"
        )
    for end in ("source", "target"):
        if not isinstance(entry[end], dict) or not entry[end].get("fingerprint"):
            raise EvidenceError(
                f"verdict {n} of the file has no fingerprint for its {end}: it cannot be found"
            )
    return entry


def pair_key(source_fp: str, relation: str, target_fp: str) -> str:
    """A link's key from its two fingerprints (as `links.link_key` makes it from its rows)."""
    return hashlib.sha1(f"{source_fp}>{relation}>{target_fp}".encode()).hexdigest()[:20]
