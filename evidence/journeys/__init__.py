"""Journeys: each original recommendation with what answers, restates, claims or repeats it, in
date order (`journey.py`), and the closure state read from them (`closure.py`)."""

from .journey import refresh_journeys, status_rows

__all__ = ["refresh_journeys", "status_rows"]
