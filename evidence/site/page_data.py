"""What the pages read beside Datasette's own queries: the journeys as of a date (worked out as
`evidence status` does, kept while the store is unchanged), the lines of text items and the
documents dated by their month."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..export import authorities_for
from ..journeys import status_rows
from ..journeys.formatting import shown_date
from .stores import mtime, recalled, remember


def journeys_as_of(path: str, as_of: str, authority: str = "") -> list[dict[str, Any]]:
    """Every original recommendation with its state as of a date (the authorities `authority`
    names, or all), kept while the store is unchanged."""
    key = ("journeys", mtime(path), path, as_of)
    rows = recalled(key)
    if rows is None:
        rows = remember(key, with_documents(path, [r.to_row() for r in status_rows(path, as_of=as_of)]))
    wanted = authorities_for(path, authority) if authority else None
    return [r for r in rows if wanted is None or r["authority"] in wanted]


def with_documents(path: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Status rows with their document's title and date (as printed: a month when only the month
    is), and the key that groups them by inspection (a stand-in's by the document that restates
    it)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        docs = {
            r[0]: (r[1], shown_date(r[2], r[3]))
            for r in conn.execute(
                "select d.id, d.title, coalesce(d.date, p.date), "
                "case when d.date is null then p.date_precision else d.date_precision end from documents d "
                "left join documents p on p.id = d.parent_id"
            )
        }
        precisions: dict[str, set[str]] = {}
        for r in conn.execute("select date, date_precision from documents where date is not null"):
            precisions.setdefault(r[0], set()).add(r[1])
    finally:
        conn.close()
    month_only = {d for d, kinds in precisions.items() if kinds == {"month"}}
    out = []
    for row in rows:
        title, when = docs.get(row["document_id"], (None, None))
        claimed = row.get("latest_claim_date")
        if claimed and claimed in month_only:  # a claim of a paper dated by its month
            row = row | {"latest_claim_date": shown_date(claimed, "month")}
        key = row["inspection_date"] or f"~{when or ''}{row['document_id']}"
        # a recommendation whose authority was not found is grouped under "" (the page says
        # "authority not known"): None cannot be sorted among names
        authority = row["authority"] or ""
        out.append(
            row
            | {"authority": authority, "document_title": title, "document_date": when, "inspection_key": key}
        )
    return sorted(out, key=lambda r: r["authority"])


# The items of one journey (its original and the items of its events), or every original.
JOURNEY_ITEMS = " union all ".join(
    f"select id, line from {table} where line is not null and id in "
    "(select :id union all select source_id from journey_events where original_id = :id)"
    for table in ("recommendations", "actions", "findings", "area_links")
)
ORIGINALS = (
    "select r.id, r.line from recommendations r join journeys j on j.id = r.id where r.line is not null"
)


def lines_of(path: str, original_id: str = "") -> dict[str, int]:
    """The line of each item of a text document that a page shows: the items of one journey, or
    every original recommendation (the journey tables keep only the page). Empty for a store
    built before items knew their line."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(JOURNEY_ITEMS, {"id": original_id}) if original_id else conn.execute(ORIGINALS)
        return {row[0]: row[1] for row in rows}
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def month_dated_documents(path: str) -> set[str]:
    """The documents whose date names only its month ("July 2016"): shown as the month."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("select id from documents where date_precision = 'month'")}
    except sqlite3.OperationalError:  # a store built before dates knew their precision
        return set()
    finally:
        conn.close()
