"""Journeys of recommendations: status and trace."""

from __future__ import annotations

from typing import Any


def status_rows(db: str, authority: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
    raise NotImplementedError


def format_status(rows: list[dict[str, Any]]) -> str:
    raise NotImplementedError


def journey(db: str, ref: str, as_of: str | None = None) -> dict[str, Any]:
    raise NotImplementedError


def format_journey(found: dict[str, Any]) -> str:
    raise NotImplementedError
