"""What the linker produces, and the small readings of store rows it needs."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .text import PARAGRAPH_REFS

Row = dict[str, Any]


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
    def key(self) -> str:
        """Built from ids, which are stable across rebuilds, so a person's verdict sticks."""
        return f"{self.source_table}:{self.source_id}>{self.relation}>{self.target_table}:{self.target_id}"

    def to_row(self) -> Row:
        return asdict(self) | {"key": self.key, "id": self.key}


@dataclass
class LinkReport:
    """The links, and what a reviewer should know that is not a link: numbers whose texts
    disagree, cross-references to recommendations that do not exist."""

    links: list[Link] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def number_of(row: Row, position: int) -> int | None:
    """A recommendation's number; an unnumbered list item (ILACS) is known by its place."""
    if row.get("number") is not None:
        return int(row["number"])
    return None if row.get("label") else position + 1


def name_of(row: Row, position: int | None = None) -> str:
    if row.get("label"):
        return f"recommendation {row['label']}"
    return f"item {position + 1 if position is not None else row.get('position') or '?'}"


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


def sub_items(row: Row) -> list[str]:
    return [s for s in json_list(row.get("sub_items")) if s.strip()]


def short(text: str, most: int = 50) -> str:
    text = " ".join(PARAGRAPH_REFS.sub("", str(text)).split()).replace(" .", ".")
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def unique(links: list[Link]) -> list[Link]:
    """One link per key, the best scored."""
    best: dict[str, Link] = {}
    for link in links:
        if link.key not in best or link.score > best[link.key].score:
            best[link.key] = link
    return list(best.values())
