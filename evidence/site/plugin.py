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
  /-/journeys.csv              the rows /journeys shows, with its filters (?authority=, ?state=, ?as_of=)
  /search?q=                   every text table at once (pages/search.html, with search_items())
  /review?authority=NAME       candidate repeats to settle: yes / partly / no (writes only under
                               `evidence serve --review`)

It only acts on databases that are evidence stores (`evidence.store.is_evidence_store`). Each route
has its module in `views/`.
"""

from __future__ import annotations

import asyncio
import functools
import html
import re
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound
from markupsafe import Markup

from extract.errors import EvidenceError
from link.text import vocabulary

from ..journeys.closure import decider_words, review_words
from ..journeys.formatting import METHOD_WORDS, plain_evidence, relation_words, short_why, shown_date
from . import source
from .page_data import journeys_as_of, lines_of, month_dated_documents
from .process import watch_parent
from .safety import (
    LIMITS,
    checked_query,
    handle_exception,  # noqa: F401 - a hook of this plugin
)
from .search import recommendation_name, search
from .stores import checked_as_of, evidence_database, is_store
from .views import files, journeys_csv, review, source_page, tracker


@hookimpl
def startup(datasette: Any) -> None:
    # under `evidence serve`: end with it (see process.py)
    watch_parent()


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/source/(?P<id>[^/]+)$", source_page.source_page),
        (r"^/-/page/(?P<document_id>[^/]+)/(?P<page>\d+)\.png$", files.page_image),
        (r"^/-/file/(?P<document_id>[^/]+)$", files.document_file),
        (r"^/-/tracker\.(?P<format>xlsx|json)$", tracker.tracker_download),
        (r"^/-/journeys\.csv$", journeys_csv.journeys_csv),
        (r"^/review$", review.review_page),
    ]


# -- for the pages ---------------------------------------------------------------------------


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

        def found() -> list[dict[str, Any]]:
            originals = {r["id"]: r for r in journeys_as_of(db.path, date.today().isoformat())}
            return search(db.path, q, originals)

        try:
            return await asyncio.to_thread(found)
        except EvidenceError:  # said on the page by search_problem()
            return []

    def search_problem(q: str) -> str:
        """Why a search is not run (too long, too many words), or ""."""
        try:
            checked_query(q)
        except EvidenceError as exc:
            return str(exc)
        return ""

    return {
        "journey_rows": journey_rows,
        "search_items": search_items,
        "search_problem": search_problem,
        "journeys_per_page": LIMITS.journeys_per_page,
        "with_query": with_query,
        "today": date.today().isoformat(),
        "valid_as_of": valid_as_of,
    } | officer_words(datasette)


def with_query(**params: Any) -> str:
    kept = {k: v for k, v in params.items() if v}
    return ("?" + urlencode(kept)) if kept else ""


def officer_words(datasette: Any) -> dict[str, Any]:
    """What the pages need to speak an officer's words: lines of text items, dates as printed,
    relations and a link's reason in words, the served store's name."""

    async def month_dated() -> set[str]:
        return await asyncio.to_thread(month_dated_documents, evidence_database(datasette).path)

    async def item_lines(original_id: str = "") -> dict[str, int]:
        return await asyncio.to_thread(lines_of, evidence_database(datasette).path, original_id)

    try:
        store_name = evidence_database(datasette).name
    except NotFound:  # no evidence store is served: Datasette's own pages only
        store_name = ""
    return {
        "ev_database": store_name,
        "item_lines": item_lines,
        "month_dated": month_dated,
        "shown_date": shown_date,
        "recommendation_name": recommendation_name,
        "relation_words": relation_words,
        "review_words": review_words,
        "decider_words": decider_words,
        "method_words": METHOD_WORDS,
        "short_why": short_why,
        "plain_evidence": plain_evidence,
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
    broad = vocabulary().broad_terms
    found = []
    for term, phrases in vocabulary().subjects:
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
        # a text document's item is found by its line ("page 1" of a text says nothing)
        shown = (
            f"line&nbsp;{row['line']}" if "line" in keys and row["line"] else f"p.&nbsp;{html.escape(text)}"
        )
        return Markup(f'<a href="{html.escape(url)}" title="see it on its page">{shown}</a>')
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


# A table page's notes on its columns, folded away: fifteen notes above the first row push the rows
# off the screen; a reader opens them when a column's name does not say enough.
FOLD_COLUMN_NOTES = """
document.querySelectorAll("dl.column-descriptions").forEach(function (notes) {
  var fold = document.createElement("details");
  var title = document.createElement("summary");
  title.textContent = "What the columns mean (" + notes.querySelectorAll("dt").length + ")";
  fold.className = "ev-column-notes";
  notes.parentNode.insertBefore(fold, notes);
  fold.appendChild(title);
  fold.appendChild(notes);
});
"""


@hookimpl
def extra_body_script(view_name: str) -> str:
    return FOLD_COLUMN_NOTES if view_name == "table" else ""


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [
        {"href": datasette.urls.path("/journeys"), "label": "Journeys"},
        {"href": datasette.urls.path("/search"), "label": "Search everything"},
        {"href": datasette.urls.path("/review"), "label": "Review candidate repeats"},
        {"href": datasette.urls.path("/-/dashboards/overview"), "label": "Dashboard"},
        {"href": datasette.urls.path("/about"), "label": "About"},
    ]
