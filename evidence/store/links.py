"""The links and a person's verdicts on them. A link is known by its key: its relation between
the fingerprints of its two rows (what they say, not their ids), so a verdict, or a link a person
drew, survives every rebuild."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import sqlite_utils

from extract.errors import EvidenceError

from .rows import LISTED, insert_all, now

# A person's word on a link: partly is a yes (the later item repeats part of the earlier one).
VERDICTS = ("yes", "partly", "no")


def verdict_word(confirmed: int | None, verdict: str | None) -> str | None:
    """The word of a stored verdict (one given before words were kept: yes or no)."""
    if confirmed is None:
        return None
    return verdict if verdict in VERDICTS else ("yes" if confirmed else "no")


class Links:
    """The linker's part of `Store`: its readings of texts, fingerprints, the links written in place of the last build's,
    verdicts and the links people add."""

    db: sqlite_utils.Database

    def transaction(self, immediate: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def drop_readings_not_by(self, normaliser: str) -> None:
        """Delete the readings made by another normaliser (an older vocabulary): they are made again."""
        with self.transaction() as conn:
            conn.execute("delete from readings where normaliser != ?", [normaliser])

    def readings(self, normaliser: str, documents: list[str]) -> list[tuple[str, str, str, str]]:
        """(document id, text, words, head) of the readings of these documents' texts made by `normaliser`."""
        return [
            tuple(row)
            for row in self.db.execute(
                "select document_id, text, words, head from readings"
                f" where normaliser = ? and document_id in {LISTED}",
                [normaliser, json.dumps(documents)],
            )
        ]

    def rows_of_documents(self, table: str, documents: list[str]) -> list[dict[str, Any]]:
        """The rows of `table` of these documents, in the order they were stored."""
        where = f"document_id in {LISTED}"
        return list(self.db[table].rows_where(where, [json.dumps(documents)], order_by="rowid"))

    def add_readings(self, rows: list[dict[str, Any]]) -> None:
        with self.transaction():
            insert_all(self.db, "readings", rows, replace=True)

    def fingerprints(self, documents: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
        """What each linkable row is, in words that outlive its id: the authority, type and
        date of its document, its label and its text. An edit elsewhere in the file, or a newer
        extractor that numbers items differently, leaves a row's fingerprint as it was.
        `documents`: only the rows of these (an authority's documents: rows alike enough to
        share a fingerprint are of one authority, so theirs are numbered as in the whole store)."""
        prints: dict[tuple[str, str], str] = {}
        seen: dict[str, int] = {}
        where, params = "", []
        if documents is not None:
            where, params = (
                f"where x.document_id in {LISTED}",
                [json.dumps(list(documents))],
            )
        for sql in FINGERPRINT_SQL:
            for row in self.db.query(sql.format(where=where), params):
                fp = fingerprint(row)
                # the same words twice in one document (a list repeated under two headings) stay two rows
                seen[fp] = seen.get(fp, 0) + 1
                prints[(row["t"], row["id"])] = fp if seen[fp] == 1 else f"{fp}#{seen[fp]}"
        return prints

    def replace_links(self, batches: Iterable[tuple[Sequence[str], Iterable[dict[str, Any]]]]) -> int:
        """Store the linker's links in place of the last build's. They come in batches, each
        with the documents whose rows they join, and are written as they come: a store's links
        and fingerprints need not all be held at once. A person's verdicts are applied by the
        link's stable key, so a rejected link stays rejected; links a person added are made
        again between the rows they joined, while both still exist, and win over the linker's."""
        with self.transaction() as conn:
            conn.execute("delete from links")
            verdicts = {
                key: {"confirmed": confirmed, "verdict": verdict_word(confirmed, word)}
                for key, confirmed, word in conn.execute("select key, confirmed, verdict from link_verdicts")
            }
            manual = self.manual_links(conn)
            insert_all(self.db, "links", manual)
            keys = {row["key"] for row in manual}
            for documents, links in batches:
                self.write_links(conn, self.fingerprints(documents), links, keys, verdicts)
                del documents, links  # not held while the next batch is linked
            return len(keys)

    def write_links(
        self,
        conn: Any,
        prints: dict[tuple[str, str], str],
        links: Iterable[dict[str, Any]],
        keys: set[str],
        verdicts: dict[str, dict[str, Any]],
    ) -> None:
        """Write the links whose keys are not in `keys` yet (adding theirs), with their verdicts."""
        pending: list[dict[str, Any]] = []
        for link in links:
            key = link_key(prints, link)
            if key is None or key in keys:
                continue
            keys.add(key)
            pending.append(link | {"id": key, "key": key, **verdicts.get(key, {})} | ends_of(prints, link))
        insert_all(self.db, "links", pending)

    def manual_links(self, conn: Any) -> list[dict[str, Any]]:
        """The links people added, between the rows that now have their ends' fingerprints, with
        the person's latest word on each (a link drawn, then judged partly or no, keeps it)."""
        out: list[dict[str, Any]] = []
        added = conn.execute(
            "select key, relation, source_fp, target_fp, note, confirmed, verdict from link_verdicts"
            " where method = 'manual'"
        ).fetchall()
        by_print = {fp: ends for ends, fp in self.fingerprints().items()} if added else {}
        for key, relation, source_fp, target_fp, note, confirmed, word in added:
            source, target = by_print.get(source_fp), by_print.get(target_fp)
            if source and target:
                evidence = f"added by a person: {note}" if note else "added by a person"
                out.append(
                    {
                        "id": key,
                        "key": key,
                        "source_table": source[0],
                        "source_id": source[1],
                        "target_table": target[0],
                        "target_id": target[1],
                        "relation": relation,
                        "method": "manual",
                        "score": 1.0,
                        "evidence": evidence,
                        "confirmed": confirmed,
                        "verdict": verdict_word(confirmed, word),
                        "source_fp": source_fp,
                        "target_fp": target_fp,
                    }
                )
        return out

    def set_verdict(self, key: str, verdict: str, note: str | None = None) -> None:
        """A person's `verdict` (yes, partly or no) on the link with this key."""
        if verdict not in VERDICTS:
            raise EvidenceError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        with self.transaction() as conn:
            link = conn.execute(
                f"select {', '.join(VERDICT_ENDS)} from links where key = ?",  # noqa: S608 - fixed names
                [key],
            ).fetchone()
            if link is None:
                raise EvidenceError(f"no link with key {key!r}: run `evidence review --all` to list the keys")
            write_verdict(conn, key, verdict, dict(zip(VERDICT_ENDS, link, strict=True)), note)

    def add_manual_link(self, link: dict[str, Any], note: str | None = None) -> dict[str, Any]:
        """Add a link a person drew; returns it as stored (with its stable key)."""
        prints = self.fingerprints()
        key = link_key(prints, link)
        if key is None:
            raise EvidenceError("a link must join two rows that are in the store")
        row = link | {"id": key, "key": key, "method": "manual", "confirmed": 1, "verdict": "yes"}
        row |= ends_of(prints, link)
        with self.transaction() as conn:
            insert_all(self.db, "links", [row], replace=True)
            write_verdict(conn, key, "yes", row, note)
        return row


VERDICT_ENDS = (
    "source_table",
    "source_id",
    "target_table",
    "target_id",
    "relation",
    "method",
    "source_fp",
    "target_fp",
)


def write_verdict(
    conn: Any, key: str, verdict: str, link: dict[str, Any], note: str | None, at: str | None = None
) -> None:
    """A person's verdict kept under the link's key (with the link's `VERDICT_ENDS`), and
    applied to the link if the store has it: given here, or imported (`at`: when it was given)."""
    # the link carries its rows' fingerprints, so a verdict needs no look at the whole store
    conn.execute(
        "insert or replace into link_verdicts (key, confirmed, verdict, source_table, source_id,"
        " target_table, target_id, relation, method, source_fp, target_fp, note, at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [key, int(verdict != "no"), verdict, *(link[name] for name in VERDICT_ENDS), note, at or now()],
    )
    conn.execute(
        "update links set confirmed = ?, verdict = ? where key = ?", [int(verdict != "no"), verdict, key]
    )


# Every row a link can join, with what identifies it beyond its id, table by table, in the order
# of their ids (rows alike in all of it are numbered in that order: see `Store.fingerprints`).
FINGERPRINT_SQL = (
    """select 'recommendations' as t, x.id as id, d.authority, d.doc_type, d.date,
       x.kind || ' ' || coalesce(x.label, '') || ' ' || coalesce(x.section, '') as label, x.text
    from recommendations x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'actions' as t, x.id as id, d.authority, d.doc_type, d.date,
       coalesce(x.area_label, '') || ' ' || x.label as label, x.text
    from actions x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'area_links' as t, x.id as id, d.authority, d.doc_type, d.date, x.labels as label,
       coalesce(x.area, '') as text
    from area_links x join documents d on d.id = x.document_id {where} order by x.id""",
    """select 'findings' as t, x.id as id, d.authority, d.doc_type, d.date, x.kind as label, x.text
    from findings x join documents d on d.id = x.document_id {where} order by x.id""",
)


def fingerprint(row: dict[str, Any]) -> str:
    text = " ".join(str(row["text"] or "").lower().split())
    parts = (row["t"], row["authority"], row["doc_type"], row["date"], row["label"], text)
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def ends_of(prints: dict[tuple[str, str], str], link: dict[str, Any]) -> dict[str, str | None]:
    return {
        "source_fp": prints.get((link["source_table"], link["source_id"])),
        "target_fp": prints.get((link["target_table"], link["target_id"])),
    }


def link_key(prints: dict[tuple[str, str], str], link: dict[str, Any]) -> str | None:
    """A link's stable key: its relation between the fingerprints of its two rows."""
    source = prints.get((link["source_table"], link["source_id"]))
    target = prints.get((link["target_table"], link["target_id"]))
    if source is None or target is None:
        return None
    return hashlib.sha1(f"{source}>{link['relation']}>{target}".encode()).hexdigest()[:20]
