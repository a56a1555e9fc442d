"""The linker: store rows in, scored and explained links out."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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
        return f"{self.source_table}:{self.source_id}>{self.relation}>{self.target_table}:{self.target_id}"

    def to_row(self) -> Row:
        return asdict(self) | {"key": self.key, "id": self.key}


def link_rows(documents: list[Row], tables: dict[str, list[Row]]) -> list[Link]:
    return []
