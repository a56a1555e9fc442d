"""/-/journeys.csv: the rows /journeys shows, with its filters (?authority=, ?state=, ?as_of=).

The store's `journeys` table holds the states as of the day it was built; a page asked for another
date (or shown on a later day) must hand over the rows it shows, not those.
"""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from datasette.utils.asgi import Response

from extract.errors import EvidenceError

from ..page_data import journeys_as_of
from ..stores import checked_as_of, evidence_database

COLUMNS = (
    "authority",
    "inspection_date",
    "label",
    "text",
    "state",
    "actions",
    "latest_target_date",
    "latest_claim",
    "latest_claim_date",
    "recurred_on",
    "links",
    "as_of",
    "id",
)


async def journeys_csv(datasette: Any, request: Any) -> Response:
    db = evidence_database(datasette)
    try:
        as_of = checked_as_of(request.args.get("as_of"))
        rows = await asyncio.to_thread(journeys_as_of, db.path, as_of, request.args.get("authority") or "")
    except EvidenceError as exc:
        return Response.text(f"{exc}\n", status=400)
    state = request.args.get("state")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        if not state or row["state"] == state:
            writer.writerow([row.get(c) for c in COLUMNS])
    name = f"journeys-{as_of}.csv"
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
