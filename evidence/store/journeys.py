"""What the journeys (evidence/journeys/) read from the store and write to it."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from typing import Any

import sqlite_utils

from .rows import LINKABLE_TABLES, LISTED, insert_all


class Journeys:
    """The journeys part of `Store`."""

    db: sqlite_utils.Database

    def transaction(self, immediate: bool = False) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def clear_journeys(self) -> None:
        """Delete every journey, to store them again (`add_journeys`) in the same transaction,
        so a page never reads the states of one build with the events of another."""
        with self.transaction() as conn:
            conn.execute("delete from journey_events")
            conn.execute("delete from journeys")

    def add_journeys(self, journeys: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        """Store some journeys' states and events (after `clear_journeys`)."""
        with self.transaction():
            insert_all(self.db, "journeys", journeys)
            insert_all(self.db, "journey_events", events)

    def links_to_recommendations_of(self, documents: list[str]) -> list[dict[str, Any]]:
        """The links whose target is a recommendation of these documents."""
        where = (
            "target_table = 'recommendations' and target_id in "
            f"(select id from recommendations where document_id in {LISTED})"
        )
        return list(self.db["links"].rows_where(where, [json.dumps(documents)], order_by="rowid"))

    def rows_linked_from_elsewhere(self, documents: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """(table, row) of each row of other documents linked to a recommendation of these."""
        inside = json.dumps(documents)
        where = (
            "id in (select source_id from links where source_table = ? and target_table = 'recommendations'"
            f" and target_id in (select id from recommendations where document_id in {LISTED}))"
            f" and document_id not in {LISTED}"
        )
        return [
            (table, row)
            for table in LINKABLE_TABLES
            for row in self.db[table].rows_where(where, [table, inside, inside])
        ]
