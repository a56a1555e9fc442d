"""Priorities in annual reports that have no document type of their own (doc_type "other"),
such as a looked-after children's health annual report appended to a committee paper.

Such reports list last year's priorities, each followed by its "Update – ...", and this
year's priorities, each introduced by a sentence ending in a colon. The list reading is the
committee reports' (`committee_lists.blocks_to_listed_items`): a lead naming priorities, then
its items; an item's printed update becomes its `status_text` and, where its wording says so,
its `status`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..blocks import lines_to_blocks
from ..document import Document
from ..records import DocumentInfo, Record
from ..vocab import HEALTH
from .committee_lists import blocks_to_listed_items, in_printed_order

# A report written by a health partner (an NHS trust or clinical commissioning group) sets the
# partnership's priorities, not the council's; its opening names its author.
PARTNER_AUTHOR = re.compile(r"\bNHS\b|\bClinical Commissioning Groups?\b|\bCCGs?\b")
OPENING_LINES = 15

# Every "other" document goes through this parser; one without a priorities list is passed
# over on this test of its text alone.
PRIORITIES_WORD = re.compile(r"\bpriorit(?:y|ies)\b", re.I)


def parse_health_priorities(doc: Document, info: DocumentInfo) -> list[Record]:
    if not PRIORITIES_WORD.search(doc.text):
        return []
    blocks = lines_to_blocks(doc.lines)
    listed = [
        (line, r) for line, r in blocks_to_listed_items(blocks, info, set()) if r.kind == "key_priority"
    ]
    opening = " ".join(b.body for b in blocks[:OPENING_LINES])
    if PARTNER_AUTHOR.search(opening):
        listed = [(line, replace(r, body=HEALTH)) for line, r in listed]
    return in_printed_order(listed)
