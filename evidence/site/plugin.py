"""The site's Datasette plugin (the `datasette` entry point `evidence`): the source of every item
one click away, ids as links, one search over every text table, the tracker as a download, and
journeys as of a date for the pages.

Routes:
  /source/ID                   the item on its page: the PDF page as an image with the item's box
                               highlighted and a link to the PDF at that page; for a text document,
                               its passage highlighted among its lines
  /-/page/DOCUMENT/N.png       page N of a PDF, rendered on the fly with pypdfium2
  /-/file/DOCUMENT             the document's file itself (add #page=N for a PDF's page)
  /-/tracker.xlsx|.json        the tracker (`evidence export`), ?authority= and ?as_of=
  /search?q=                   every text table at once (pages/search.html, with search_items())

It only acts on databases that are evidence stores (`evidence.store.is_evidence_store`). Each route
has its module in `views/`.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import re
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from markupsafe import Markup

from extract.errors import EvidenceError

from ..export import authorities_for
from ..journeys import status_rows
from . import source
from .stores import checked_as_of, evidence_database, is_store, mtime, recalled, remember
from .views import files, source_page, tracker

# Search results shown per table (each table's own page shows them all).
SEARCH_LIMIT = 20


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/source/(?P<id>[^/]+)$", source_page.source_page),
        (r"^/-/page/(?P<document_id>[^/]+)/(?P<page>\d+)\.png$", files.page_image),
        (r"^/-/file/(?P<document_id>[^/]+)$", files.document_file),
        (r"^/-/tracker\.(?P<format>xlsx|json)$", tracker.tracker_download),
    ]


# -- for the pages ---------------------------------------------------------------------------


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
    """Status rows with their document's title and date, and the key that groups them by
    inspection (a stand-in's by the document that restates it)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        docs = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                "select d.id, d.title, coalesce(d.date, p.date) from documents d "
                "left join documents p on p.id = d.parent_id"
            )
        }
    finally:
        conn.close()
    out = []
    for row in rows:
        title, when = docs.get(row["document_id"], (None, None))
        key = row["inspection_date"] or f"~{when or ''}{row['document_id']}"
        out.append(row | {"document_title": title, "document_date": when, "inspection_key": key})
    return out


def search(path: str, q: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Items whose text has every word of `q`: recommendations, actions and findings by their
    full-text index, judgements, measures and documents by their names."""
    import sqlite3

    words = [w for w in q.replace('"', " ").split() if w]
    if not words:
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        found = text_matches(conn, " ".join(f'"{w}"' for w in words), limit)
        found += name_matches(conn, [f"%{w.lower()}%" for w in words], limit)
    except sqlite3.OperationalError as exc:
        raise EvidenceError(f"cannot search for {q!r}: {exc}; search for plain words") from None
    finally:
        conn.close()
    for row in found:
        row["snippet_html"] = highlight(row["snippet"] or row["text"] or "")
    return found


def text_matches(conn: Any, match: str, limit: int) -> list[dict[str, Any]]:
    """Recommendations, actions and findings by their full-text index, best first."""
    found: list[dict[str, Any]] = []
    for table, label in (("recommendations", "r.label"), ("actions", "r.label"), ("findings", "r.kind")):
        fts = f"{table}_fts"
        sql = f"""
            select '{table}' as tbl, r.id, {label} as label, r.text, r.page, d.id as document_id,
                   d.title as document, d.authority, d.date,
                   snippet([{fts}], -1, '[[', ']]', '…', 24) as snippet
            from [{fts}] join [{table}] r on r.rowid = [{fts}].rowid
            join documents d on d.id = r.document_id
            where [{fts}] match ? order by rank limit ?"""
        found.extend(dict(r) for r in conn.execute(sql, (match, limit)))
    return found


def name_matches(conn: Any, likes: list[str], limit: int) -> list[dict[str, Any]]:
    """Judgements, measures and documents whose names hold every word, oldest first."""
    found: list[dict[str, Any]] = []
    others = (  # table, label, the text searched and shown
        ("judgements", "r.area", "r.area || ': ' || r.grade"),
        ("measures", "coalesce(r.ref, '')", "coalesce(r.name, '') || ' ' || coalesce(r.table_title, '')"),
    )
    for table, label, text in others:
        where = " and ".join(f"lower({text}) like ?" for _ in likes)
        sql = f"""
            select '{table}' as tbl, r.id, {label} as label, {text} as text, r.page, d.id as document_id,
                   d.title as document, d.authority, d.date, null as snippet
            from [{table}] r join documents d on d.id = r.document_id
            where {where} order by d.date limit ?"""
        found.extend(dict(r) for r in conn.execute(sql, (*likes, limit)))
    where = " and ".join("lower(coalesce(title, '') || ' ' || path) like ?" for _ in likes)
    sql = f"""
        select 'documents' as tbl, id, doc_type as label, title as text, null as page, id as document_id,
               title as document, authority, date, null as snippet
        from documents where {where} order by date limit ?"""
    found.extend(dict(r) for r in conn.execute(sql, (*likes, limit)))
    return found


def highlight(snippet: str) -> Markup:
    escaped = html.escape(snippet)
    return Markup(escaped.replace("[[", "<mark>").replace("]]", "</mark>"))


@hookimpl
def extra_template_vars(datasette: Any, request: Any) -> dict[str, Any]:
    async def journey_rows(authority: str = "", state: str = "", as_of: str = "") -> list[dict[str, Any]]:
        db = evidence_database(datasette)
        try:
            rows = await asyncio.to_thread(journeys_as_of, db.path, valid_as_of(as_of), authority)
        except EvidenceError:  # an authority the store does not have: the page says so
            return []
        return [r for r in rows if not state or r["state"] == state]

    async def search_items(q: str) -> list[dict[str, Any]]:
        db = evidence_database(datasette)
        return await asyncio.to_thread(search, db.path, q)

    def with_query(**params: Any) -> str:
        kept = {k: v for k, v in params.items() if v}
        return ("?" + urlencode(kept)) if kept else ""

    return {
        "journey_rows": journey_rows,
        "search_items": search_items,
        "with_query": with_query,
        "today": date.today().isoformat(),
        "valid_as_of": valid_as_of,
    }


def valid_as_of(value: str | None) -> str:
    """The page's ?as_of= as a date, or today when it is missing or not a date."""
    try:
        return checked_as_of(value)
    except EvidenceError:
        return date.today().isoformat()


# -- a theme for the dashboard ---------------------------------------------------------------


@functools.cache
def theme_patterns() -> list[tuple[re.Pattern[str], str, bool]]:
    """Each subject of the linker's vocabulary (link/data/vocabulary.json): the pattern of its
    phrases, its name (its first phrase) and whether it is a broad one."""
    vocabulary = json.loads(
        (resources.files("link") / "data" / "vocabulary.json").read_text(encoding="utf-8")
    )
    broad = set(vocabulary.get("broad_terms", []))
    found = []
    for term, phrases in vocabulary["terms"].items():
        ordered = sorted(phrases, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")s?\b", re.I)
        found.append((pattern, phrases[0], term in broad))
    return found


def theme_of(text: str | None) -> str:
    """What an item is about: the vocabulary subject it names first, a specific one (supervision,
    private fostering) before a broad one (assessment, plans); 'other' when it names none."""
    best: tuple[bool, int, str] | None = None
    for pattern, name, broad in theme_patterns():
        hit = pattern.search(text or "")
        if hit and (best is None or (broad, hit.start()) < best[:2]):
            best = (broad, hit.start(), name)
    return best[2] if best else "other"


@hookimpl
def prepare_connection(conn: Any) -> None:
    # evidence_theme(text): the dashboard's and the `recurrences` query's theme of an item
    conn.create_function("evidence_theme", 1, theme_of, deterministic=True)


# -- ids as links ----------------------------------------------------------------------------


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Ids become links: a recommendation to its journey, any other item to its source page, a
    document to its row; an item's page to its source page; a document's path to its file."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    db = datasette.databases.get(database)
    if db is None or db.path is None or not is_store(db.path):
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    text = str(value)
    if column == "page" and table in source.ITEM_TABLES and "id" in keys and row["id"]:
        url = datasette.urls.path(f"/source/{quote(str(row['id']))}")
        return Markup(
            f'<a href="{html.escape(url)}" title="see it on its page">p.&nbsp;{html.escape(text)}</a>'
        )
    if column == "path" and table == "documents" and "id" in keys:
        url = datasette.urls.path(f"/-/file/{quote(str(row['id']))}")
        return Markup(f'<a href="{html.escape(url)}">{html.escape(text)}</a>')
    if source.RECORD_ID.match(text):
        # a recommendation's journey (the trace page leads an item that is in none to its source)
        target = (
            f"/trace/{quote(text)}" if text.rsplit("-", 1)[1].startswith("r") else f"/source/{quote(text)}"
        )
        return Markup(f'<a href="{html.escape(datasette.urls.path(target))}">{html.escape(text)}</a>')
    if (
        source.DOCUMENT_ID.match(text)
        and column in ("document_id", "parent_id", "id")
        and table is None  # in a table Datasette links a document_id to its document, by its title
    ):
        url = datasette.urls.row(database, "documents", text)
        return Markup(f'<a href="{html.escape(url)}">{html.escape(text)}</a>')
    return None


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [
        {"href": datasette.urls.path("/journeys"), "label": "Journeys"},
        {"href": datasette.urls.path("/search"), "label": "Search everything"},
        {"href": datasette.urls.path("/-/dashboards/overview"), "label": "Dashboard"},
        {"href": datasette.urls.path("/about"), "label": "About"},
    ]
