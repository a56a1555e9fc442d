"""/source/ID: the item on its page: the PDF page as an image with the item's box highlighted and
a link to the PDF at that page; for a text document, its passage highlighted among its lines."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import NotFound, Response

from extract.errors import EvidenceError

from .. import source
from ..stores import evidence_database


async def find_item(db: Any, item_id: str) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    for table in source.ITEM_TABLES:
        rows = (await db.execute(f"select * from [{table}] where id = ?", [item_id])).rows
        if rows:
            item = dict(rows[0])
            doc = dict(
                (await db.execute("select * from documents where id = ?", [item["document_id"]])).rows[0]
            )
            return table, item, doc
    return None


async def source_page(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    item_id = request.url_vars["id"]
    found = await find_item(db, item_id)
    if found is None:
        raise NotFound(f"No item {item_id} in the store: search for it at /search, or start from /journeys")
    table, item, doc = found
    asked = request.args.get("page") or ""
    page = int(asked) if asked.isdigit() else int(item.get("page") or 1)
    journey_id = await journey_of_item(db, item_id)
    context: dict[str, Any] = {
        "table": table,
        "item": item,
        "doc": doc,
        "page": page,
        "database": db.name,
        "journey_id": journey_id,
        "is_pdf": source.is_pdf(doc["path"]),
        "text": item.get("text") or item.get("area") or item.get("name") or "",
    }
    try:
        if context["is_pdf"]:
            context |= await pdf_context(datasette, item, doc, page)
        else:
            context |= await text_context(datasette, doc, context["text"], page)
    except EvidenceError as exc:
        context["problem"] = str(exc)
    return Response.html(await datasette.render_template("evidence_source.html", context, request=request))


async def pdf_context(datasette: Any, item: dict[str, Any], doc: dict[str, Any], page: int) -> dict[str, Any]:
    """The PDF page as an image, with the item's box when it is on that page."""
    pages = await asyncio.to_thread(source.page_count, doc["path"])
    source.check_page(doc["path"], page, pages)
    bbox = source.bbox_of(item.get("bbox")) if page == item.get("page") else None
    box = (await asyncio.to_thread(source.page_box, doc["path"], page, bbox))[0] if bbox else None
    return {
        "pages": pages,
        "box": box,
        "image_url": datasette.urls.path(f"/-/page/{quote(doc['id'])}/{page}.png"),
        "file_url": datasette.urls.path(f"/-/file/{quote(doc['id'])}") + f"#page={page}",
    }


async def text_context(datasette: Any, doc: dict[str, Any], text: str, page: int) -> dict[str, Any]:
    """The text document's lines around the item's passage."""
    lines, located = await asyncio.to_thread(
        source.text_passage, doc["path"], text, doc.get("first_line"), doc.get("last_line"), page
    )
    return {
        "lines": lines,
        "located": located,
        "file_url": datasette.urls.path(f"/-/file/{quote(doc['id'])}"),
    }


async def journey_of_item(db: Any, item_id: str) -> str | None:
    """The original recommendation whose journey the item is part of, if any."""
    rows = (
        await db.execute(
            "select id from journeys where id = :id union all "
            "select original_id from journey_events where source_id = :id and (confirmed is null or confirmed != 0) "
            "limit 1",
            {"id": item_id},
        )
    ).rows
    return rows[0][0] if rows else None
