"""Lists a committee report prints of an inspection's findings and recommendations, or of
priorities: a lead ending in a colon names what the items are, and later sentences may claim
progress on the whole list ("the eight Ofsted findings have been addressed").

Read by committee reports (`extract.parsers.committee`) and by the priorities of annual
reports (`extract.parsers.health_priorities`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..blocks import Block, heading_before, last_sentence, list_items, same_style, split_sentences
from ..document import Line, span
from ..items import label_number, paragraph_refs, strip_connector
from ..records import DocumentInfo, Recommendation, Record
from ..vocab import body_of, status_of

# Leads that introduce a list of an inspection's findings or recommendations, or of priorities.
LIST_KINDS = (
    (re.compile(r"\bfindings\b", re.I), "key_finding"),
    (re.compile(r"\brecommendations\b", re.I), "restatement"),
    (re.compile(r"\bpriorit(?:y|ies)\b|\bkey themes?\b|\bthemes? for improvement\b", re.I), "key_priority"),
)
COUNT_WORDS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
COUNT = re.compile(
    r"\b(\d{1,2}|"
    + "|".join(COUNT_WORDS.split())
    + r")\s+(?:\w+\s+){0,3}?(findings|recommendations|priorities|themes)\b",
    re.I,
)
SECTION_REF = re.compile(r"\b(?:section|paragraph|para)s?\s+(\d+(?:\.\d+)*)", re.I)
UPDATE = re.compile(r"[\s*_]*\b(Update\s*[–—:-].*?)[\s*_]*$", re.S)
# A group heading inside a list ("Immediately:", "Within three months:") is short; a lead
# that names a list is a sentence.
GROUP_MAX_CHARS = 60

Placed = tuple[int, Recommendation]  # a recommendation and the line it starts on, for ordering


@dataclass(frozen=True)
class ListLead:
    """What a list's lead says of every item under it: their kind, the lead itself, what names
    the list (the lead's last sentence or the heading above), and progress claimed on it all."""

    kind: str
    lead: Block
    named_by: str
    claims: str | None


def recommendation(info: DocumentInfo, lines: Sequence[Line], text: str, kind: str) -> Recommendation:
    """A recommendation placed on its page; stages fill in the rest with `replace`."""
    page, bbox = span(lines)
    return Recommendation(document_id=info.id, page=page, text=text, kind=kind, bbox=bbox)


def in_printed_order(placed: Sequence[Placed]) -> list[Record]:
    """The items in the order they are printed, whichever stage found them."""
    return [r for _, r in sorted(placed, key=lambda pair: pair[0])]


def kind_of(text: str) -> str | None:
    return next((kind for pattern, kind in LIST_KINDS if pattern.search(text)), None)


def list_kind(lead: Block, heading: Block | None) -> str | None:
    """The kind of the items a lead introduces, named by the lead or by the heading above it."""
    if not lead.body.endswith(":") or lead.is_heading and lead.label is None:
        return None
    return kind_of(lead.body) or (kind_of(heading.body) if heading is not None else None)


def grouped_items(blocks: Sequence[Block], start: int) -> tuple[list[tuple[Block | None, Block]], int]:
    """Items after a lead, each with the group heading ("Immediately:") it sits under, and
    the index of the first block after them."""
    out: list[tuple[Block | None, Block]] = []
    group: Block | None = None
    index = end = start
    while index < len(blocks):
        block = blocks[index]
        if (
            block.label is None
            and not block.bullet
            and block.body.endswith(":")
            and len(block.body) < GROUP_MAX_CHARS
        ):
            group = block
            index += 1
        items = list_items(blocks, index)
        if not items or (out and not same_style(items[0].label, out[0][1].label)):
            break
        out.extend((group, item) for item in items)
        index = end = index + len(items)
    return out, end


def blocks_to_listed_items(blocks: Sequence[Block], info: DocumentInfo, used: set[int]) -> list[Placed]:
    records: list[Placed] = []
    for index, lead in enumerate(blocks):
        heading = heading_before(blocks, index)
        kind = None if index in used or lead.row else list_kind(lead, heading)
        items, end = grouped_items(blocks, index + 1) if kind else ([], index)
        if not kind or not items:
            continue
        claims = status_claims(blocks[end:], len(items), lead)
        named_by = last_sentence(lead.body) if kind_of(lead.body) else heading.body if heading else lead.body
        listed = ListLead(kind, lead, named_by, claims)
        records.extend(
            (item.first, item_to_recommendation(item, group, listed, info)) for group, item in items
        )
        used.update(range(index, end))
    return records


def item_to_recommendation(
    item: Block, group: Block | None, listed: ListLead, info: DocumentInfo
) -> Recommendation:
    """One listed item: its section is the group it sits under or what names the list, its
    status the update printed after it or (for an inspection's items) the claims on the list."""
    text, update = split_update(strip_connector(item.body))
    status_text = update or (listed.claims if listed.kind != "key_priority" else None)
    base = f"{listed.lead.label} " if listed.lead.label else ""
    return replace(
        recommendation(info, item.lines, text, listed.kind),
        label=item.label,
        number=label_number(item.label),
        body=body_of(listed.lead.body + text),
        section=base + (group.body.rstrip(":") if group else listed.named_by),
        status=claimed[0] if (claimed := status_of(status_text or "")) else None,
        status_text=status_text,
        timescale=group.body.rstrip(":").strip().lower() if group else None,
        paragraphs=paragraph_refs(text),
    )


def split_update(text: str) -> tuple[str, str | None]:
    """A priority and the update printed after it ("... Update – ongoing action.")."""
    m = UPDATE.search(text)
    if not m or m.start() == 0:
        return text.strip(" *_"), None
    return text[: m.start()].strip(" *_"), m.group(1).strip(" *_")


def status_claims(later: Sequence[Block], count: int, lead: Block) -> str | None:
    """Later sentences that claim progress on the whole list: they name it by its size ("the
    eight Ofsted findings") or point back to the section that printed it."""
    numbers = {str(count), *(w for i, w in enumerate(COUNT_WORDS.split(), 2) if i == count)}
    top = (lead.label or "").split(".")[0]
    claims = []
    for block in later:
        for sentence in split_sentences(block.body):
            names_list = any(m.group(1).lower() in numbers for m in COUNT.finditer(sentence))
            points_back = bool(top) and any(r.split(".")[0] == top for r in SECTION_REF.findall(sentence))
            if (names_list or points_back) and status_of(sentence):
                claims.append(f"{block.label}: {sentence}" if block.label else sentence)
    return " ".join(claims) or None
