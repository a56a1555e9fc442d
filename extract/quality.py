"""How well a text reads: real words, and font codes where words should be.

A PDF whose font has lost its map to Unicode (a damaged /ToUnicode table) still gives text,
as many rows as before, but in font codes: "children's plans" comes out as
"FKLOGUHQ¶VSODQV", spaces gone, a control character for a comma. Counting rows cannot see
that; reading the words can. A word is real when it is spelt as English is printed: lower
case, or a capital then lower case ("Ensure"), or capitals in an English shape ("IRO",
"WHAT", "NEEDS"), at most `max_word` letters. A token is garbled when it holds font codes
(see `is_garbled`): no healthy page of the national collection has more than one, and that
one a long web address.

Pure functions: the pipeline notes the pages that read as garbled or lost their text
(`page_note`), and the build compares a changed file's rows with the stored ones in words
as well as in counts (`Reading`, `reads_worse_in_words`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .tunables import check_counts, check_shares


@dataclass(frozen=True)
class QualitySettings:
    """The tunables of reading quality (listed in the README's table of tunables)."""

    # The longest real word counted: "disproportionately" is 18 letters.
    max_word: int = 20
    # A page reads as garbled with this many garbled tokens (a healthy page of the national
    # collection has at most one, a long web address)...
    page_garbled_tokens: int = 2
    # ... or with one that holds this share of the page's letters.
    page_garbled_share: float = 0.06
    # A page whose lines hold less than this share of the characters pdfium counts on it has
    # lost text on the way (characters with no Unicode value: a damaged font)...
    page_char_share: float = 0.5
    # ... judged only on a page with at least this many characters (a cover has too few).
    page_min_chars: int = 200
    # A changed file's rows read worse when they hold fewer than this share of the real words
    # of the stored rows, or more garbled tokens: a damaged font garbles a few words in a row,
    # where a real new version reads as well as the old.
    words_share: float = 0.98
    # A changed file's rows read worse when a character the stored rows held at least this
    # many times is gone from them (a font that lost a glyph: every "’" or "-" dropped); an
    # editor seldom removes every one of a character.
    vanished_min: int = 3

    def __post_init__(self) -> None:
        check_shares(self, ("page_garbled_share", "page_char_share", "words_share"))
        check_counts(self, ("max_word", "page_garbled_tokens", "page_min_chars", "vanished_min"))


SETTINGS = QualitySettings()
# Pages named in a file's line of problems; the rest are counted.
SHOWN_PAGES = 3

TOKEN = re.compile(r"\S+")
# A word's letters without the punctuation around it ("(children’s)," -> "children’s").
EDGES = re.compile(r"^\W+|\W+$")
LETTERS = re.compile(r"[^\W\d_]+")
LOWER = re.compile(r"^[^\W\d_][^\W\d_A-Z]*$")
CAPITALS = re.compile(r"^[A-Z]+$")
ENGLISH_CAPITALS = re.compile(
    r"^(?:[B-DF-HJ-NP-TV-Z]{0,3}[AEIOUY]{1,3})+[B-DF-HJ-NP-TV-Z]{0,4}$|^[A-Z]{1,5}$"
)
# Font codes: letters beside a control character or a pilcrow (a lost comma, full stop or
# apostrophe), a run of letters longer than any word, or a run of capitals in no English shape.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f¶]")
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f]")
# ... and one such code between two letters ("Children¶s", a title whose font lost its map)
# says so alone: no page of the shared collections' intact PDFs has one.
JOINED_BY_CODE = re.compile(r"[^\W\d_][\x00-\x08\x0b-\x1f¶][^\W\d_]")
LONG_RUN = re.compile(rf"[A-Za-z]{{{SETTINGS.max_word + 5},}}")
CAPITAL_RUN = re.compile(r"(?<![A-Za-z])[A-Z]{6,}")
# Web and mail addresses run words together by design.
ADDRESS = re.compile(r"[@/]|\.[a-z]{2,}|^www", re.IGNORECASE)


def is_real(word: str) -> bool:
    """Whether a run of letters is spelt as an English word is printed."""
    if len(word) > SETTINGS.max_word:
        return False
    return bool(LOWER.match(word)) or bool(CAPITALS.match(word) and ENGLISH_CAPITALS.match(word))


def is_garbled(token: str) -> bool:
    """Whether a token is font codes rather than print (see `CONTROL`)."""
    if not any(c.isalpha() for c in token) or ADDRESS.search(token):
        return False
    if CONTROL.search(token) or LONG_RUN.search(token):
        return True
    return any(not ENGLISH_CAPITALS.match(run) for run in CAPITAL_RUN.findall(token))


@dataclass(frozen=True)
class Reading:
    """How a text reads: its letters, its real words, and its garbled tokens."""

    letters: int = 0
    words: int = 0
    garbled: int = 0
    garbled_letters: int = 0

    def __add__(self, other: Reading) -> Reading:
        return Reading(
            self.letters + other.letters,
            self.words + other.words,
            self.garbled + other.garbled,
            self.garbled_letters + other.garbled_letters,
        )


def reading_of(text: str) -> Reading:
    """Count the real words and garbled tokens of `text`. A token is one real word when each
    run of letters in it is real and only an apostrophe or a hyphen joins them
    ("multi-agency", "children’s")."""
    letters = words = garbled = garbled_letters = 0
    for token in TOKEN.findall(text):
        runs = LETTERS.findall(token)
        size = sum(map(len, runs))
        if not size:
            continue
        letters += size
        if is_garbled(token):
            garbled += 1
            garbled_letters += size
            continue
        core = re.sub(r"[’'\-]", "", EDGES.sub("", token))
        if core.isalpha() and all(is_real(run) for run in runs):
            words += 1
    return Reading(letters, words, garbled, garbled_letters)


def reading_of_texts(texts: Iterable[str | None]) -> Reading:
    total = Reading()
    for text in texts:
        if text:
            total = total + reading_of(text)
    return total


def page_note(number: int, text: str, pdfium_chars: int | None = None) -> str | None:
    """What is wrong with a page's text, as a reader would say it, or None when it reads well."""
    found = reading_of(text)
    if found.garbled >= SETTINGS.page_garbled_tokens or (
        found.garbled
        and (
            found.garbled_letters >= SETTINGS.page_garbled_share * found.letters
            or JOINED_BY_CODE.search(text)
        )
    ):
        example = next(token for token in TOKEN.findall(text) if is_garbled(token))
        runs = f"{found.garbled} run{'' if found.garbled == 1 else 's'}"
        # control codes are not printable; a pilcrow is, and shows where a letter's code was
        return (
            f"page {number} reads as garbled text ({runs} of font codes, "
            f"such as “{UNPRINTABLE.sub('', example)[:24]}”)"
        )
    shown = len("".join(text.split()))
    if (
        pdfium_chars
        and pdfium_chars >= SETTINGS.page_min_chars
        and shown < SETTINGS.page_char_share * pdfium_chars
    ):
        return f"page {number} gave {shown:,} of its {pdfium_chars:,} characters as text"
    return None


def note_page(note: str) -> int:
    """The page a note is about ("page 4 gives no text"), 0 for one about the whole file."""
    words = note.split()
    return int(words[1]) if len(words) > 1 and words[0] == "page" and words[1].isdigit() else 0


def note_kind(note: str) -> str:
    """`page` for a note on one page, `file` for one on the whole file (its damage, its
    missing recommendations)."""
    return "page" if note_page(note) else "file"


def notes_reason(notes: Iterable[str]) -> str:
    """The one line of `problems` for a file stored with notes: what is wrong (the notes on
    the whole file first, every one of them; then up to `SHOWN_PAGES` pages and how many
    more), what it means for its rows, and what to do, each said once."""
    found = list(notes)
    whole = [note for note in found if note_kind(note) == "file"]
    pages = [note for note in found if note_kind(note) == "page"]
    more = len(pages) - SHOWN_PAGES
    shown = "; ".join(
        whole
        + pages[:SHOWN_PAGES]
        + ([f"and {more} more page{'' if more == 1 else 's'} like these"] if more > 0 else [])
    )
    return (
        f"stored, but {shown}: rows read from it may be missing or wrong; "
        "re-download the file (or re-save it from a PDF viewer) and build again"
    )


def reads_worse_in_words(before: Reading, now: Reading) -> bool:
    """Whether rows reading `now` read worse than the stored rows reading `before`."""
    if before.words == 0:
        return False
    return now.words < before.words * SETTINGS.words_share or now.garbled > before.garbled


def vanished(before: Iterable[str], now: Iterable[str]) -> list[str]:
    """The characters (not spaces) that the texts `before` held at least `vanished_min` times
    and the texts `now` do not hold at all."""
    counts = Counter("".join(before))
    present = set("".join(now))
    return sorted(
        c for c, n in counts.items() if n >= SETTINGS.vanished_min and not c.isspace() and c not in present
    )
