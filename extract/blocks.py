"""Paragraphs from lines: where a paragraph breaks, its label, its bullets and its sentences.

A PDF wraps a paragraph over lines and marks its end with space (or a move to another
column); a text export prints a paragraph on one line and splits one only at a page break.
`gap_between` and `space_between` tell the two apart; `lines_to_blocks` rebuilds a report's
numbered paragraphs, list items, headings and table rows as `Block`s, and `list_items` reads
the list that follows a lead. Parsers that read a list line by line collect a `ListItem`.

It builds on `extract.items` (bullets, joining, connectors) rather than redefine it:
`strip_bullets` is the more general form the parsers need of `items.strip_bullet`, and
`split_label` reads `items.NUMBERED` among others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .document import Line
from .items import NUMBERED, is_bullet, join, strip_bullet, strip_connector

# A vertical gap wider than this share of a line's height separates two PDF paragraphs; the
# wrapped lines of one paragraph sit closer (leading is usually 0.2-0.4 of the height).
PARAGRAPH_GAP = 0.6
# Lines of one paragraph start within this many line heights of each other (a bullet's glyph
# and hanging indent move a line by about one); a table's next column starts much further.
COLUMN_SHIFT = 3.0
# A heading is a short block without closing punctuation. 160 characters holds the longest
# heading in the seeds (a 155-character area for improvement restated as a heading). A PDF
# paragraph's first line is as short, so wrapped lines are joined by the gap test, not this.
HEADING_MAX_CHARS = 160

# Paragraph labels: numbers ("2.", "2.1", "5.10.3", `items.NUMBERED`) and letters ("(a)", "iv)").
LETTERED = re.compile(r"^\(?(?P<label>[a-h]|i{1,3}|iv|v|vi{1,3})\)\s+(?=\S)")
PARAGRAPH_LABELS = (NUMBERED, LETTERED)
# An inspection's label as councils restate it: "14.", "151:", "152a:", "3)". Always
# punctuated, as a bare number opens many a sentence ("14 children were seen").
RESTATED_LABEL = re.compile(r"^(?P<label>\d{1,3}[a-z]?)\s*[.:)]\s+(?=\S)")
RESTATED_LABELS = (RESTATED_LABEL,)

# A sentence ends at a full stop, question or exclamation mark, before any closing quote.
SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])")
# A block ends at closing punctuation, before any emphasis markers an export left ("action.*").
CLOSING = re.compile(r"[.:;!?)\"'”’][*_]*$")
# Bullets inside a table cell; exports glue some to the previous sentence ("practice.• A").
CELL_BULLET = re.compile(r"\s*[•●▪■\uf0b7\uf0a7]\s*")


# ---- where a paragraph breaks ------------------------------------------------------------


def line_height(line: Line) -> float:
    return max(line.bbox[3] - line.bbox[1], 1.0) if line.bbox else 1.0


def space_between(upper: Line, lower: Line) -> bool:
    """Whether blank space parts two lines: a new page, a blank line in an export, or in a PDF
    a vertical gap wider than `PARAGRAPH_GAP` of a line's height."""
    if upper.page != lower.page:
        return True
    if upper.bbox is None or lower.bbox is None:
        return lower.number > upper.number + 1
    return lower.bbox[1] - upper.bbox[3] > PARAGRAPH_GAP * line_height(lower)


def in_other_column(upper: Line, lower: Line) -> bool:
    """Whether a PDF line starts further left or right than a wrap moves it, or higher up."""
    if upper.bbox is None or lower.bbox is None:
        return False
    shift = abs(lower.bbox[0] - upper.bbox[0])
    return shift > COLUMN_SHIFT * line_height(lower) or lower.bbox[1] < upper.bbox[1]


def gap_between(upper: Line, lower: Line) -> bool:
    """Whether a new paragraph starts between two lines: in a PDF, space between them or the
    second in another column; an export prints a paragraph on one line, so every line."""
    if upper.page != lower.page or upper.bbox is None or lower.bbox is None:
        return True
    return in_other_column(upper, lower) or space_between(upper, lower)


def paragraph_at(lines: Sequence[Line], i: int) -> tuple[int, int]:
    """The first and last index of the paragraph lines[i] is printed in (`gap_between`).
    A lead-in ends at its colon, however close what it introduces follows."""
    first, last = i, i
    while (
        first > 0
        and not gap_between(lines[first - 1], lines[first])
        and not lines[first - 1].text.rstrip().endswith(":")
    ):
        first -= 1
    while last + 1 < len(lines) and not gap_between(lines[last], lines[last + 1]):
        if lines[last].text.rstrip().endswith(":"):
            break
        last += 1
    return first, last


# ---- labels, bullets and sentences -------------------------------------------------------


def split_label(text: str, labels: Sequence[re.Pattern[str]] = PARAGRAPH_LABELS) -> tuple[str | None, str]:
    """("2.1", "In March ...") from "2.1 In March ...": the first of `labels` that matches."""
    for pattern in labels:
        m = pattern.match(text)
        if m:
            return m.group("label"), text[m.end() :].strip()
    return None, text


def strip_bullets(text: str) -> str:
    """ "- o Reviewing ..." -> "Reviewing ...": exports stack a list dash on the lost glyph."""
    while is_bullet(text):
        text = strip_bullet(text)
    return text.strip()


def cell_bullets(text: str) -> tuple[str, list[str]]:
    """The text before a table cell's first bullet, and its bullets. A glyph glued to the
    sentence before it starts a bullet too, and the head stays apart: it finishes the bullet
    a page break cut."""
    head, *bullets = CELL_BULLET.split(text)
    return head, [b for b in bullets if b.strip()]


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def split_sentences(text: str) -> list[str]:
    return SENTENCE_BREAK.split(text)


def last_sentence(text: str) -> str:
    return split_sentences(text)[-1]


def sentences_of(lines: Sequence[Line]) -> list[tuple[str, list[Line]]]:
    """The sentences of prose lines (bullets left out), each with the lines it is printed on."""
    text, starts = "", []
    for line in lines:
        if not is_bullet(line.text):
            starts.append((len(text), line))
            text += line.text.strip() + " "
    out, offset = [], 0
    for sentence in split_sentences(text):
        begin = text.index(sentence, offset)
        end = begin + len(sentence)
        offset = end
        on = [ln for pos, ln in starts if pos < end and pos + len(ln.text.strip()) >= begin]
        out.append((sentence.strip(), on))
    return [(s, on) for s, on in out if s and on]


# ---- items read line by line -------------------------------------------------------------


@dataclass
class ListItem:
    """A list item or table cell being read: its label or heading, its text in pieces, its
    sub-items, and the lines it is printed on."""

    parts: list[str]
    lines: list[Line]
    label: str | None = None
    heading: str | None = None
    subs: list[list[str]] = field(default_factory=list)

    def add(self, text: str, line: Line) -> None:
        (self.subs[-1] if self.subs else self.parts).append(text)
        self.lines.append(line)

    def sub(self, text: str, line: Line) -> None:
        self.subs.append([text])
        self.lines.append(line)

    @property
    def expects_subs(self) -> bool:
        return bool(self.subs) or join(self.parts).endswith(":")

    @property
    def finished(self) -> bool:
        return ends_sentence(join(self.subs[-1] if self.subs else self.parts))

    @property
    def sub_items(self) -> tuple[str, ...]:
        return tuple(strip_connector(join(s)) for s in self.subs)

    @property
    def text(self) -> str:
        return strip_connector(join([join(self.parts), *self.sub_items]))


# ---- lines to blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, heading or table row as printed, with its label."""

    lines: tuple[Line, ...]
    label: str | None
    body: str  # the text without bullet and label
    bullet: bool = False
    row: bool = False

    @property
    def printed(self) -> str:
        """The text as printed, label included ("2. Recommendation/s"), bullet glyph dropped."""
        return join([strip_bullets(self.lines[0].text), *(line.text for line in self.lines[1:])])

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def is_heading(self) -> bool:
        return not self.row and len(self.body) <= HEADING_MAX_CHARS and not CLOSING.search(self.body)


def starts_block(line: Line, previous: Line | None, block: Block | None) -> bool:
    """Whether `line` starts a block of its own. Space is only asked about after a finished
    sentence or a heading, so a new page counts as space: it rarely splits a paragraph there."""
    text = line.text.strip()
    if block is None or block.row or "\t" in line.text or is_bullet(text) or LETTERED.match(text):
        return True
    if text[:1].islower():
        return False
    if not CLOSING.search(block.body) and not block.is_heading:
        return False  # a sentence that runs on, even when the next line opens with a number
    if NUMBERED.match(text):
        return True
    return previous is None or space_between(previous, line)


def line_to_block(line: Line) -> Block:
    text = line.text.strip()
    if "\t" in line.text:
        return Block((line,), None, line.text, row=True)
    bullet = is_bullet(text)
    label, body = split_label(strip_bullets(text) if bullet else text)
    # "- 1.1 In September..." is a numbered paragraph that an export marked as a list item
    return Block((line,), label, body, bullet=bullet and label is None)


def lines_to_blocks(lines: Sequence[Line]) -> list[Block]:
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        if not line.text.strip():
            continue
        block = blocks[-1] if blocks else None
        if block is None or starts_block(line, previous, block):
            blocks.append(line_to_block(line))
        else:
            blocks[-1] = replace(block, lines=block.lines + (line,), body=join([block.body, line.text]))
        previous = line
    return blocks


# ---- lists of blocks ---------------------------------------------------------------------


def is_child(label: str | None, parent: str | None) -> bool:
    return bool(label and parent and label.startswith(parent.rstrip(".") + "."))


def same_style(label: str | None, first: str | None) -> bool:
    """Whether `label` continues the list that `first` opened ("b" after "a", "2.1.2" after "2.1.1")."""
    if first is None or label is None:
        return first is None and label is None
    if LETTERED.match(first + ") x"):
        return bool(LETTERED.match(label + ") x"))
    if "." not in first:
        return label.isdigit()
    return label.count(".") == first.count(".") and label.rsplit(".", 1)[0] == first.rsplit(".", 1)[0]


def list_items(blocks: Sequence[Block], start: int) -> list[Block]:
    """The run of items that follows a lead: same label style, or bullets."""
    if start >= len(blocks):
        return []
    first = blocks[start]
    if first.row or (first.label is None and not first.bullet):
        return []
    items = []
    for block in blocks[start:]:
        if block.row or not same_style(block.label, first.label) or block.bullet != first.bullet:
            break
        items.append(block)
    return items


def heading_before(blocks: Sequence[Block], index: int) -> Block | None:
    return blocks[index - 1] if index > 0 and blocks[index - 1].is_heading else None
