"""`evidence export`: the tracker a council keeps, as CSV files, an Excel workbook or JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from extract.errors import EvidenceError

from .store import Store

# Each sheet: its rows joined to the document they came from, so a row stands on its own.
SHEETS = {
    "recommendations": """
        select d.authority, d.date as document_date, d.doc_type, d.title as document, r.label, r.number,
               r.kind, r.body, r.section, r.text, r.status, r.status_text, r.page, d.path, r.id
        from recommendations r join documents d on d.id = r.document_id
        order by d.authority, d.date, r.position""",
    "actions": """
        select d.authority, d.date as document_date, d.title as document, a.area_label, a.label, a.text,
               a.milestones, a.target_date, a.target_date_text, a.lead, a.page, d.path, a.id
        from actions a join documents d on d.id = a.document_id
        order by d.authority, d.date, a.rowid""",
    "claims": """
        select d.authority, d.date as claimed_on, d.title as document, r.label, r.status, r.status_text,
               r.text, r.page, d.path, r.id
        from recommendations r join documents d on d.id = r.document_id
        where r.status is not null
        order by d.authority, d.date, r.position""",
    "links": """
        select td.authority, t.label as recommendation, l.relation, coalesce(r.label, a.label, al.area) as item,
               coalesce(r.text, a.text) as item_text, sd.title as item_document, sd.date as item_date,
               l.method, l.score, l.evidence, l.confirmed, l.source_table, l.source_id, l.target_id, l.key
        from links l
        join recommendations t on t.id = l.target_id join documents td on td.id = t.document_id
        left join recommendations r on l.source_table = 'recommendations' and r.id = l.source_id
        left join actions a on l.source_table = 'actions' and a.id = l.source_id
        left join area_links al on l.source_table = 'area_links' and al.id = l.source_id
        left join documents sd on sd.id = coalesce(r.document_id, a.document_id, al.document_id)
        where l.confirmed is null or l.confirmed != 0
        order by td.authority, td.date, t.position, sd.date""",
    "journeys": """
        select authority, inspection_date, label, text, state, latest_claim, latest_claim_date, actions,
               latest_target_date, recurred_on, links, id
        from journeys order by authority, inspection_date, id""",
}


def sheets(db: str) -> dict[str, list[dict[str, Any]]]:
    store = Store(db)
    try:
        return {name: store.query(sql) for name, sql in SHEETS.items()}
    finally:
        store.close()


def export(db: str, fmt: str, out: str | None = None, force: bool = False) -> str:
    data = sheets(db)
    target = Path(out or ("tracker" if fmt == "csv" else f"tracker.{fmt}"))
    if fmt != "csv" and not target.parent.is_dir():
        raise EvidenceError(f"cannot write {target}: the folder {target.parent} does not exist")
    files = [target / f"{name}.csv" for name in data] if fmt == "csv" else [target]
    check_targets(target, files, fmt, force)
    if fmt == "json":
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EvidenceError(
                f"cannot make the folder {target} ({exc.strerror}): pass another --out"
            ) from None
        for name, rows in data.items():
            write_csv(target / f"{name}.csv", rows)
    elif fmt == "xlsx":
        write_xlsx(target, data)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return str(target)


def check_targets(target: Path, files: list[Path], fmt: str, force: bool) -> None:
    """Nothing is overwritten without --force; with it, a link standing at a target is
    replaced, never the file it points to."""
    if fmt == "csv" and (target.is_symlink() or target.exists()) and not target.is_dir():
        raise EvidenceError(
            f"cannot write the CSV files into {target}: a file stands there; pass a folder as --out"
        )
    if fmt != "csv" and target.is_dir():
        raise EvidenceError(f"cannot write {target}: it is a folder; pass a file name as --out")
    for path in files:
        if not (path.exists() or path.is_symlink()):
            continue
        if not force:
            raise EvidenceError(f"{path} already exists: pass --force to overwrite it, or another --out")
        if path.is_symlink():
            path.unlink()


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(path: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        if rows:
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))
            sheet.freeze_panes = "A2"
    book.save(path)
