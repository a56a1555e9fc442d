"""The built-in parsers, by the document types each reads, in the order they run."""

from __future__ import annotations

from ..registry import Parser
from ..vocab import INSPECTION_TYPES
from .committee import parse_committee_report
from .data_tables import parse_data_tables
from .health_priorities import parse_health_priorities
from .inspection import parse_inspection
from .peer_review import parse_peer_review
from .plan import parse_plan
from .progress import parse_progress_report
from .scorecard import parse_scorecard

BUILTIN: tuple[tuple[tuple[str, ...], Parser], ...] = (
    (INSPECTION_TYPES, parse_inspection),
    (("peer_review_letter",), parse_peer_review),
    (("improvement_plan",), parse_plan),
    (("progress_report",), parse_progress_report),
    (("committee_report",), parse_committee_report),
    (("scorecard",), parse_scorecard),
    # measures of captioned data tables, in reports that also hold other records
    (("other", "committee_report", "progress_report"), parse_data_tables),
    (("other",), parse_health_priorities),
)
