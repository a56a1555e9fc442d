"""/-/page/DOCUMENT/N.png (page N of a PDF, rendered on the fly with pypdfium2) and
/-/file/DOCUMENT (the document's file itself; add #page=N for a PDF's page)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from datasette.utils.asgi import NotFound, Response

from extract.errors import EvidenceError

from .. import source
from ..stores import evidence_database


async def page_image(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    doc = await document(db, request.url_vars["document_id"])
    try:
        scale = float(request.args.get("scale") or source.PAGE_SCALE)
    except ValueError:
        scale = source.PAGE_SCALE
    try:
        png = await asyncio.to_thread(source.render_page, doc["path"], int(request.url_vars["page"]), scale)
    except EvidenceError as exc:
        raise NotFound(str(exc)) from None
    return Response(png, content_type="image/png", headers={"cache-control": "max-age=3600"})


async def document(db: Any, document_id: str) -> dict[str, Any]:
    rows = (await db.execute("select * from documents where id = ?", [document_id])).rows
    if not rows:
        raise NotFound(f"No document {document_id} in the store: the documents table lists them")
    return dict(rows[0])


async def document_file(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    doc = await document(db, request.url_vars["document_id"])
    path = doc["path"]
    try:
        body = await asyncio.to_thread(Path(path).read_bytes)
    except OSError:
        raise NotFound(
            f"{path} is not there any more: build the store again from where the file is now"
        ) from None
    pdf = source.is_pdf(path)
    name = os.path.basename(path).replace('"', "")
    return Response(
        body,
        content_type="application/pdf" if pdf else "text/plain; charset=utf-8",
        headers={"content-disposition": f'inline; filename="{name}"'},
    )
