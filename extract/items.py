"""Turning lines into items: bullets, numbered paragraphs, joined text.

Text conventions (those of the hand-checked gold): lines are joined with single spaces;
bullet glyphs are dropped; a trailing list connector ("; and", ";") is stripped from list
items; spelling, quotes and dashes are kept as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Bullet glyphs as exports print them, including the Wingdings ones PDFs lose to private use,
# and the control codes (U+0080 to U+009F) a bullet font without its map to Unicode gives, or
# those codes read as Windows-1252 ("„" for 0x84) before a space: an English line never starts
# with a low quote.
BULLET = re.compile(
    r"^\s*(?:[•●▪■◼◦‣∙·\u2015\u0336\u2212\u0080-\u009f\uf06e\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf02d\ufffd]|[-–*o„‚](?=\s))\s*"
)
NUMBERED = re.compile(r"^\s*(?P<label>\d{1,3}(?:\.\d{1,3})*[a-z]?)[.)]?\s+(?=\S)")
CONNECTOR = re.compile(r"\s*(?:;\s*(?:and|or)|;|,\s*and)\s*$", re.I)
PARAGRAPH_REFS = re.compile(r"\((?:see\s+)?paragraphs?\s+([^)]*)\)", re.I)


def is_bullet(text: str) -> bool:
    return bool(BULLET.match(text))


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text, count=1).strip()


def join(parts: Iterable[str]) -> str:
    """Join wrapped lines with single spaces."""
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def strip_connector(text: str) -> str:
    return CONNECTOR.sub("", text).strip()


def paragraph_refs(text: str) -> tuple[str, ...]:
    """Paragraph numbers cited as "(paragraphs 31, 32)" or "(see paragraph 64)"."""
    refs: list[str] = []
    for group in PARAGRAPH_REFS.findall(text):
        refs.extend(re.findall(r"\d+[a-z]?", group))
    return tuple(refs)


def label_number(label: str | None) -> int | None:
    """The integer part of a printed label: "152a" -> 152, "7" -> 7; None for "2.1.1"."""
    if not label:
        return None
    m = re.fullmatch(r"(\d+)[a-z]?", label.strip())
    return int(m.group(1)) if m else None
