"""/-/tracker.xlsx|.json: the tracker (`evidence export`), ?authority= and ?as_of=."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from datasette.utils.asgi import Response

from extract.errors import EvidenceError

from ...export import tracker, xlsx_bytes
from ..stores import checked_as_of, evidence_database


async def tracker_download(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    fmt = request.url_vars["format"]
    site = f"{request.scheme}://{request.host}"
    try:
        data = await asyncio.to_thread(
            tracker, db.path, request.args.get("authority") or None, request.args.get("as_of") or None, site
        )
    except EvidenceError as exc:
        return Response.text(f"{exc}\n", status=400)
    as_of = data["journeys"][0]["as_of"] if data["journeys"] else checked_as_of(request.args.get("as_of"))
    name = f"tracker-{as_of}.{fmt}"
    if fmt == "json":
        return Response(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    return Response(
        await asyncio.to_thread(xlsx_bytes, data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
