"""The tracker as an Excel workbook an officer circulates: a first sheet saying what it is and
where its links lead, then a sheet per thing tracked, headers frozen and bold, filters on,
columns sized and long texts wrapped, dates as dates (a month as "April 2015"), whole numbers
as numbers, states and days overdue coloured, an empty column for the officer's update, and
each row's source page as a link. The rows are `evidence.export.tracker`'s."""

from __future__ import annotations

from datetime import date
from typing import Any

from link.model import Row

# Widest a column of the workbook is drawn (characters); long texts wrap instead.
MAX_WIDTH = 60
# Columns written as dates (real dates in a workbook, so they sort and filter as dates).
DATE_COLUMNS = {
    "inspected",
    "document_date",
    "claimed_on",
    "item_date",
    "plan_date",
    "target_date",
    "latest_target_date",
    "overdue_since",
    "latest_claim_date",
    "recurred_on",
    "as_of",
}
# Labels that are whole numbers are written as numbers (rec 6, area 2; "1.1" and "152a" stay text).
NUMBER_COLUMNS = {"rec", "label", "area", "item", "recommendation"}
# The site's colours for the states (evidence/site/templates/_evidence.html), as cell fills.
STATE_COLOURS = {
    "open": "EEEEEE",
    "planned": "DBE8F7",
    "overdue": "F9D8C4",
    "monitoring": "FCEFC0",
    "reported met": "DDF2D8",
    "closed": "A5D6A7",
    "possible recurrence": "F8D7DA",
    "recurred": "EF9A9A",
}
# The officer's own column, in a colour that asks to be written in.
UPDATE_COLOUR = "FFF8DC"


def cell_value(column: str, value: Any) -> Any:
    """A value as the workbook holds it: dates as dates ("2015-04", a month, as its 1st), a label
    that is a whole number as a number (so a sort gives 1, 2, 10, not 1, 10, 2)."""
    if column in DATE_COLUMNS and isinstance(value, str) and len(value) in (7, 10):
        try:
            return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
        except ValueError:
            return value
    if column in NUMBER_COLUMNS and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def xlsx_bytes(data: dict[str, list[Row]], about: list[str] | None = None) -> bytes:
    """The workbook: a first sheet saying what it is and where its links lead (`about`), then one
    sheet each, headers frozen and bold, filters on, columns sized and long texts wrapped, dates as
    dates, whole numbers as numbers, states and days overdue coloured, an empty column for the
    officer's update, source pages as links."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    if about:
        sheet = book.create_sheet("read me")
        for line in about:
            sheet.append([line])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.column_dimensions["A"].width = 120
        for row in sheet.iter_rows(min_row=2):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        if not rows:
            sheet.append([f"No {name} in the store for this selection."])
            continue
        columns = list(rows[0])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([cell_value(c, row[c]) for c in columns])
        for index, column in enumerate(columns, 1):
            format_column(sheet, index, column, rows)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def format_column(sheet: Any, index: int, column: str, rows: list[Row]) -> None:
    """A column sized to its longest value (a text longer than the column wraps), dates as dates
    (a month as "April 2015"), states and days overdue coloured, links as links."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    values = [str(r[column]) for r in rows if r[column] is not None]
    longest = max([len(column), *(len(v) for v in values)])
    width = {"source": 14, "update": 40}.get(column, min(longest + 2, MAX_WIDTH))
    sheet.column_dimensions[letter].width = width
    for row, cell in zip(rows, sheet[letter][1:], strict=True):
        cell.alignment = Alignment(vertical="top", wrap_text=len(str(row[column] or "")) > width)
        if column in DATE_COLUMNS and isinstance(cell.value, date):
            cell.number_format = "mmmm yyyy" if len(str(row[column])) == 7 else "yyyy-mm-dd"
        elif column == "source" and cell.value:
            cell.hyperlink = cell.value
            cell.value = "source page"
            cell.style = "Hyperlink"
        elif column == "state" and cell.value in STATE_COLOURS:
            cell.fill = PatternFill("solid", fgColor=STATE_COLOURS[cell.value])
        elif column == "days_overdue" and isinstance(cell.value, int) and cell.value > 0:
            cell.fill = PatternFill("solid", fgColor=STATE_COLOURS["overdue"])
        elif column == "update":
            cell.fill = PatternFill("solid", fgColor=UPDATE_COLOUR)
