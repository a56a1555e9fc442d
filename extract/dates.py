"""Dates as councils and Ofsted print them: "6th January 2015", "July 2016",
"Tuesday, 21st January, 2020", "21/01/2020", "Jan 2015"."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d{2})"
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

DAY_MONTH_YEAR = re.compile(rf"\b{WEEKDAY}{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b", re.I)
MONTH_YEAR = re.compile(rf"\b{MONTH},?\s+{YEAR}\b", re.I)
NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>(?:19|20)?\d{2})\b")
ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def make(year: int, month: int, day: int = 1) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[str, str, str]]:
    """Every date in `text` in order: (as printed, ISO, precision "day" or "month").

    A month with no day becomes the first of that month."""
    found: list[tuple[int, int, str, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for pattern, precision in (
        (ISO, "day"),
        (DAY_MONTH_YEAR, "day"),
        (MONTH_DAY_YEAR, "day"),
        (NUMERIC, "day"),
        (MONTH_YEAR, "month"),
    ):
        for m in pattern.finditer(text):
            if not free(m):
                continue
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower().rstrip(".")]
            year = int(m.group("year"))
            if year < 100:
                year += 2000
            day = int(m.group("day")) if precision == "day" else 1
            iso = make(year, month, day)
            if iso:
                taken.append((m.start(), m.end()))
                found.append((m.start(), m.end(), m.group(0).strip(), iso, precision))
    found.sort()
    return [(printed, iso, precision) for _, _, printed, iso, precision in found]


def precision_of(printed: str | None) -> str | None:
    """Whether a date as printed names its day ("day": "6th January 2015") or only its month
    ("month": "April 2015", stored as the 1st); None when it holds no date. Of several dates, the
    last (a target date's cell names its final date last)."""
    found = find_dates(printed or "")
    return found[-1][2] if found else None
