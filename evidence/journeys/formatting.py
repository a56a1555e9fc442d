"""Journeys and status rows as a terminal shows them (`evidence status`, `evidence trace`)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from extract.vocab import shorten
from link.model import SUGGESTED

from .closure import STATES, Closure, decider_words, review_words
from .journey import Journey, StatusRow

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# A trace shows this much of each event's text.
EVENT_TEXT = 100

STATUS_COLUMNS = (
    ("authority", "Authority", 16),
    ("inspection_date", "Inspected", 10),
    ("label", "Rec", 5),
    ("text", "Recommendation", 50),
    ("actions", "Acts", 4),
    ("latest_target_date", "Due", 14),  # "September 2015": a month when only the month is printed
    ("latest_claim", "Claim", 11),
    ("state", "State", 19),
)


# Relations as a reader says them (the store keeps the field's names: recurs_in).
RELATION_WORDS = {
    "restates": "restated",
    "responds_to": "answered",
    "reports_status_of": "progress reported",
    "addresses": "planned",
    "recurs_in": "repeated by a later inspection",
    "same_theme": "same subject",
    "claims": "claims progress",
}
# How a link was found, in words.
METHOD_WORDS = {
    "number": "the same number",
    "similarity": "the same words or meaning",
    "number+similarity": "the same number and words",
    "explicit": "the document's own cross-reference",
    "manual": "added by a person",
    "suggested": "a candidate for a person to settle",
}
# A file's folders in a link's evidence ("/home/.../corpus/plymouth.pdf"): only its name is shown.
FOLDERS = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:[/\\][^\s/\\;,()']+)+[/\\](?=[^\s/\\;,()']+)")
PROBABILITY = re.compile(r";?\s*probability (?P<p>[01]\.\d+) that a reader accepts it:.*?(?=(?:; both: |$))")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def relation_words(relation: str | None, method: str | None = None, confirmed: int | None = None) -> str:
    """A link's relation as a reader says it; a candidate nobody has settled says that it is one
    (a possible repeat at 7% is not "repeated by a later inspection")."""
    words = RELATION_WORDS.get(relation or "", (relation or "").replace("_", " "))
    if method == SUGGESTED and confirmed is None:
        return f"maybe {words} (a candidate nobody has settled)"
    return words


def plain_evidence(evidence: str | None) -> str:
    """A link's evidence in full, with files named by their names only."""
    return FOLDERS.sub("", evidence or "")


def short_why(evidence: str | None) -> str:
    """Why a link was made, in one line: what the documents say, how likely a reader accepts it
    and the words both share; the weighted features behind the likelihood stay in the full
    evidence."""
    text = plain_evidence(evidence)
    if text.startswith("same authority; "):
        text = text[len("same authority; ") :]
    found = PROBABILITY.search(text)
    if found:
        chance = round(100 * float(found.group("p")))
        likely = "over 99%" if chance >= 100 else f"{chance}%"  # never "100%": it is a model's guess
        text = text[: found.start()] + f"; {likely} likely a reader agrees" + text[found.end() :]
    return text.replace("; both: ", "; both mention ")


def shown_date(iso: str | None, precision: str | None = None) -> str:
    """A date as a reader expects it: "2015-04-15", or "April 2015" when only the month is
    printed (stored as its 1st; due by its last day)."""
    if not iso:
        return ""
    if precision == "month" and len(iso) >= 7 and iso[5:7].isdigit() and 1 <= int(iso[5:7]) <= 12:
        return f"{MONTHS[int(iso[5:7]) - 1]} {iso[:4]}"
    return iso


def format_status(rows: list[StatusRow]) -> str:
    if not rows:
        return "No recommendations in the store."
    lines = ["  ".join(title.ljust(width) for _, title, width in STATUS_COLUMNS).rstrip()]
    lines.append("  ".join("-" * width for _, _, width in STATUS_COLUMNS))
    for row in rows:
        shown = row.to_row() | ({"inspection_date": "not stored"} if row.stands_in else {})
        shown["latest_target_date"] = shown_date(row.latest_target_date, row.latest_target_date_precision)
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
        lines += event_lines(e)
    for s in found.slips:
        lines.append(
            f"\nTarget date of action {s['action']} moved from {s['from']} to {s['to']} by {s['moved_by']} ({s['moved_on']})"
        )
    if not found.events:
        lines.append("Nothing in the store answers it.")
    else:
        lines.append("\n(--json gives each link's full evidence)")
    return "\n".join(lines)


def event_lines(e: dict[str, Any]) -> list[str]:
    """One event of a journey on a terminal: when, what and which, its text, and why it is linked."""
    lines: list[str] = []
    what = f"{e['kind'] or e['table']} {e['label'] or ('item ' + str(e['position']) if e['position'] else '')}".strip()
    claim = f" [claims: {e['status']}]" if e["status"] else ""
    due = (
        f" [due {e['target_date_text'] or e['target_date']}]"
        if e["table"] == "actions" and (e["target_date"] or e["target_date_text"])
        else ""
    )
    verdict = " (confirmed by a person)" if e["confirmed"] == 1 else ""
    if e["confirmed"] == 1 and e.get("verdict") == "partly":
        verdict = " (confirmed in part by a person)"
    where = f"line {e['line']}" if e.get("line") else f"page {e['page']}"
    lines.append("")
    relation = relation_words(e["relation"], e["method"], e["confirmed"])
    lines.append(f"{e['date'] or 'undated'}  {relation}: {what}{claim}{due}{verdict}")
    lines.append(f"    {shorten(e['text'] or '', EVENT_TEXT)}")
    lines.append(
        f"    {e['document']}, {where}; found by {METHOD_WORDS.get(e['method'], e['method'])}; "
        f"why: {short_why(e['evidence'])}"
    )
    if e.get("key") and e["method"] == SUGGESTED and e["confirmed"] is None:
        lines.append(f"    settle it: evidence review --confirm {e['key']} (or --partly, --reject)")
    return lines


def review_line(closure: Closure) -> str:
    """Who decided the state, and the candidate repeats left to settle: "not yet reviewed; 2
    candidate repeats to settle with `evidence review`"."""
    words = ("repeated in part; " if closure.in_part else "") + review_words(
        closure.reviewed, closure.decided_by
    )
    if closure.decided_by:
        words += f"; decided by {decider_words(closure.decided_by)}"
    left = closure.to_settle
    if left:
        words += f"; {left} candidate repeat{'' if left == 1 else 's'} to settle with `evidence review`"
    return words
