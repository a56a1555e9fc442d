"""/-/page/DOCUMENT/N.png (page N of a PDF, rendered on the fly with pypdfium2) and
/-/file/DOCUMENT (the document's file itself; add #page=N for a PDF's page)."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import NotFound, Response

from extract.errors import EvidenceError

from .. import source
from ..safety import checked_id, served_path
from ..stores import evidence_database

# A browser is not to guess another type than the one sent (a text file read as HTML).
NOSNIFF = {"x-content-type-options": "nosniff"}


async def page_image(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    doc = await document(db, request.url_vars["document_id"])
    try:
        scale = float(request.args.get("scale") or source.PAGE_SCALE)
    except ValueError:
        scale = source.PAGE_SCALE
    page = request.url_vars["page"]
    try:
        path = await served_path(db, doc)
        png = await asyncio.to_thread(source.render_page, path, int(page) if len(page) < 9 else 0, scale)
    except EvidenceError as exc:
        raise NotFound(str(exc)) from None
    return Response(png, content_type="image/png", headers={"cache-control": "max-age=3600", **NOSNIFF})


async def document(db: Any, document_id: str) -> dict[str, Any]:
    checked_id(document_id, "document")
    rows = (await db.execute("select * from documents where id = ?", [document_id])).rows
    if not rows:
        raise NotFound(f"No document {document_id} in the store: the documents table lists them")
    return dict(rows[0])


async def document_file(datasette: Any, request: Any) -> Response:
    """The file the document was built from, and only that: see `safety.served_path`."""
    db = evidence_database(datasette)
    doc = await document(db, request.url_vars["document_id"])
    try:
        path = await served_path(db, doc)
        body = await asyncio.to_thread(Path(path).read_bytes)
    except (EvidenceError, OSError) as exc:
        raise NotFound(
            str(exc) if isinstance(exc, EvidenceError) else f"{doc['path']} cannot be read"
        ) from None
    if doc.get("parent_id") is None and hashlib.sha256(body).hexdigest() != doc["sha256"]:
        raise NotFound(f"{doc['path']} changed while it was read: build the store again")  # swapped just now
    pdf = source.is_pdf(doc["path"])
    name = os.path.basename(doc["path"])
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return Response(
        body,
        content_type="application/pdf" if pdf else "text/plain; charset=utf-8",
        headers={
            "content-disposition": f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            **NOSNIFF,
        },
    )
