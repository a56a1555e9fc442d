"""Journeys and status rows as a terminal shows them (`evidence status`, `evidence trace`)."""

from __future__ import annotations

from collections import defaultdict

from extract.vocab import shorten

from .closure import STATES, Closure, review_words
from .journey import Journey, StatusRow

# A trace shows this much of each event's text.
EVENT_TEXT = 100

STATUS_COLUMNS = (
    ("authority", "Authority", 16),
    ("inspection_date", "Inspected", 10),
    ("label", "Rec", 5),
    ("text", "Recommendation", 50),
    ("actions", "Acts", 4),
    ("latest_target_date", "Due", 10),
    ("latest_claim", "Claim", 11),
    ("state", "State", 19),
)


def format_status(rows: list[StatusRow]) -> str:
    if not rows:
        return "No recommendations in the store."
    lines = ["  ".join(title.ljust(width) for _, title, width in STATUS_COLUMNS).rstrip()]
    lines.append("  ".join("-" * width for _, _, width in STATUS_COLUMNS))
    for row in rows:
        shown = row.to_row() | ({"inspection_date": "not stored"} if row.stands_in else {})
        cells = [
            shorten(str(shown[key] if shown[key] is not None else ""), width).ljust(width)
            for key, _, width in STATUS_COLUMNS
        ]
        flag = "  (target date moved)" if row.target_date_slips else ""
        lines.append("  ".join(cells).rstrip() + flag)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    lines.append("")
    lines.append(
        ", ".join(f"{counts[s]} {s}" for s in STATES if counts[s]) + f" ({len(rows)} recommendations)"
    )
    return "\n".join(lines)


def format_journey(found: Journey) -> str:
    rec = found.recommendation
    name = rec["label"] or f"item {rec['position']}"
    where = (
        f"inspection of {rec['inspection_date']}"
        if rec["inspection_date"]
        else f"{rec['document']} (its inspection is not stored)"
    )
    lines = [
        f"{rec['authority']} {where}, recommendation {name} (page {rec['page']}):",
        f"  {rec['text']}",
        "",
        f"State as of {found.as_of}: {found.state.upper()}"
        + (" - it had been reported met" if found.closure.reported_met_then_recurred else "")
        + f" ({review_line(found.closure)})",
    ]
    for e in found.events:
        what = f"{e['kind'] or e['table']} {e['label'] or ('item ' + str(e['position']) if e['position'] else '')}".strip()
        claim = f" [claims: {e['status']}]" if e["status"] else ""
        due = (
            f" [due {e['target_date_text'] or e['target_date']}]"
            if e["table"] == "actions" and (e["target_date"] or e["target_date_text"])
            else ""
        )
        verdict = " (confirmed)" if e["confirmed"] == 1 else ""
        lines.append("")
        lines.append(f"{e['date'] or 'undated'}  {e['relation']}  {what}{claim}{due}{verdict}")
        lines.append(f"    {shorten(e['text'] or '', EVENT_TEXT)}")
        lines.append(
            f"    {e['document']}, page {e['page']}; {e['method']} {e['score']:.2f}: {e['evidence']}"
        )
    for s in found.slips:
        lines.append(
            f"\nTarget date of action {s['action']} moved from {s['from']} to {s['to']} by {s['moved_by']} ({s['moved_on']})"
        )
    if not found.events:
        lines.append("Nothing in the store answers it.")
    return "\n".join(lines)


def review_line(closure: Closure) -> str:
    """Who decided the state, and the candidate repeats left to settle: "not yet reviewed; 2
    candidate repeats to settle with `evidence review`"."""
    words = review_words(closure.reviewed)
    if closure.decided_by:
        words += "; decided by " + ("a person" if closure.decided_by == "person" else "the linker")
    left = closure.to_settle
    if left:
        words += f"; {left} candidate repeat{'' if left == 1 else 's'} to settle with `evidence review`"
    return words
