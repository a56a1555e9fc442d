"""Recommendations numbered in the order a parser reads them out.

Each parser puts its records in the document's reading order (its own: printed line, page
and line, or the template's sections) and numbers its recommendations here, from 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..records import Recommendation, Record


def number_recommendations(records: Iterable[Record]) -> list[Record]:
    """The records as given, each recommendation's `position` its place among them."""
    out: list[Record] = []
    position = 0
    for record in records:
        if isinstance(record, Recommendation):
            position += 1
            record = replace(record, position=position)
        out.append(record)
    return out
