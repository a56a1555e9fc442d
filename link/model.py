"""What the linker produces (`Link`, `LinkReport`), and the small helpers that name and number items."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from extract.records import Recommendation
from extract.vocab import shorten

from .text import PARAGRAPH_REFS

Row = dict[str, Any]

SUGGESTED = "suggested"  # the method of a candidate kept for review (see link/stages.py)


@dataclass(frozen=True)
class Link:
    source_table: str
    source_id: str
    target_table: str
    target_id: str
    relation: str
    method: str
    score: float
    evidence: str

    @property
    def ends(self) -> tuple[str, str, str, str, str]:
        """The rows it joins and how: one link per ends in a build. Not its identity in the
        store, which keys a link by its rows' fingerprints (evidence/store/links.py)."""
        return (self.source_table, self.source_id, self.relation, self.target_table, self.target_id)

    def to_row(self) -> Row:
        return asdict(self)


@dataclass
class LinkReport:
    """The links, and what a reviewer should know that is not a link: candidates just below
    the bar (suggestions for `evidence review`), numbers whose texts disagree,
    cross-references to recommendations that do not exist."""

    links: list[Link] = field(default_factory=list)
    suggestions: list[Link] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def number_of(row: Recommendation, position: int) -> int | None:
    """A recommendation's number; an unnumbered list item (ILACS) is known by its place."""
    if row.number is not None:
        return row.number
    return None if row.label else position + 1


def name_of(row: Recommendation, position: int | None = None) -> str:
    if row.label:
        return f"recommendation {row.label}"
    return f"item {position + 1 if position is not None else row.position or '?'}"


def label_number(label: str) -> int | None:
    match = re.fullmatch(r"\s*(\d+)[a-z]?\s*", str(label))
    return int(match.group(1)) if match else None


def json_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def short(text: str, most: int = 50) -> str:
    """A text quoted in a link's evidence: without its paragraph references, shortened."""
    return shorten(" ".join(PARAGRAPH_REFS.sub("", str(text)).split()).replace(" .", "."), most)


def unique(links: list[Link]) -> list[Link]:
    """One link per ends, the best scored."""
    best: dict[tuple[str, ...], Link] = {}
    for link in links:
        if link.ends not in best or link.score > best[link.ends].score:
            best[link.ends] = link
    return list(best.values())
