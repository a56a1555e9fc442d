"""English local authorities with children's services: the gazetteer, and finding one in a text.

The gazetteer is `data/authorities.csv`, one row per authority and kind: an authority whose kind
changed keeps its common name on both rows (Dorset the county until 2019, Dorset the unitary from
2019). `from`/`until` are the years an authority began or ended; blank means it existed throughout
the era of children's services (since the Children Act 2004).

Finding works on word n-grams: the text is cut into words, and at each word the longest alias
that starts there wins, so "Cheshire West and Chester" is never read as "Cheshire" and
"Kingston upon Thames" never as "Kingston upon Hull". Each mention is weighed (a short form or a
word inside a longer proper name counts little; "X Council" and the title lines count more) and
the authority with the highest total is the answer.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .errors import EvidenceError

KINDS = ("county", "unitary", "metropolitan", "london", "other")

# A one-word short form of a longer name ("Hull", "Durham", "Richmond", "Stoke") is also a town,
# a hospital trust or a university: on its own it hints, it does not decide.
WEAK_WEIGHT = 0.3
# A one-word name beside another capitalised word is usually part of a different proper name
# ("Sutton Coldfield", "Old Trafford", "Kent Police", "John Bolton").
FOREIGN_WEIGHT = 0.3
# "Plymouth City Council", "London Borough of Bexley", "Dudley local authority" name the
# authority the document is by or about, not a place it mentions.
COUNCIL_BONUS = 3.0
# Reports, letters and committee papers put their authority in the first lines.
TITLE_BONUS = 2.0
TITLE_LINES = 6
# A name followed by a postcode is the postal town of an address (Ofsted's letters carry
# "Store Street, Manchester M1 2WD"), not the authority the document is about.
ADDRESS_WEIGHT = 0.0
POSTCODE = (re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?"), re.compile(r"[0-9][A-Z]{2}"))
# Below this only weak or incidental mentions were seen: better no answer than a guess.
MIN_SCORE = 1.0
# A line naming this many different authorities is a list (neighbours, a regional table).
LIST_MIN = 3
# Sentences comparing the authority with others name the others: they are not the subject.
NEIGHBOUR_CUES = re.compile(
    r"statistical neighbour|comparator|neighbouring (?:local )?authorit|similar (?:local )?authorit"
    r"|similar areas|other (?:local )?authorities"
)
# Places and bodies that are not authorities but contain an authority's name: matched like
# aliases so that the longest match swallows them.
NOT_AUTHORITIES = (
    "Greater Manchester",
    "Newcastle-under-Lyme",
    "Sutton Coldfield",
    "Sutton-in-Ashfield",
    "Bury St Edmunds",
    "New York",
)
# Words that, next to a name, show it is the council itself (compared in lower case).
COUNCIL_AFTER = frozenset(
    {"council", "borough", "city", "county", "metropolitan", "unitary", "local", "la"}
    | {"children", "childrens", "safeguarding", "lscb", "lscp"}
)
COUNCIL_BEFORE = (("borough", "of"), ("city", "of"), ("county", "of"), ("inspection", "of"), ("lb",))
# An alias holding one of these is the council's own title ("Bristol City Council", "BCP Council").
COUNCIL_NAME_WORDS = frozenset({"council", "borough", "corporation"})
# Capitalised in title-case headings without starting another proper name.
NEUTRAL_WORDS = frozenset(
    {"of", "and", "the", "in", "for", "to", "at", "on", "with", "from", "by", "inspection"}
)
# Council words stripped from a name before looking it up ("Plymouth City Council" -> "plymouth").
NAME_PREFIXES = re.compile(
    r"^(?:the |(?:london |royal |metropolitan )?borough of |city of |county of |council of the )+"
)
NAME_SUFFIXES = re.compile(
    r"(?: (?:metropolitan |city |county |district |borough |london borough |metropolitan district "
    r"|metropolitan borough )?council| unitary authority| local authority| childrens? (?:s )?services)+$"
)

TOKEN = re.compile(r"[A-Za-z0-9]+|[.;:!?()\[\]\u2022]|\n")
BOUNDARY = frozenset(".;:!?()[]\u2022")


@dataclass(frozen=True)
class Authority:
    name: str
    aliases: tuple[str, ...]
    kind: str
    from_year: int | None = None
    until_year: int | None = None

    def existed_in(self, year: int) -> bool:
        """Whether this authority (in this kind) existed during `year`."""
        after_start = self.from_year is None or year >= self.from_year
        before_end = self.until_year is None or year < self.until_year
        return after_start and before_end


@dataclass(frozen=True)
class Entry:
    """One spelling in the lexicon: the authority it names (None for NOT_AUTHORITIES)."""

    name: str | None
    words: tuple[str, ...]  # as spelled, for the capital-letter check
    weak: bool
    council: bool


@dataclass(frozen=True)
class Token:
    text: str
    lower: str
    line: int
    segment: int  # sentence-ish stretch: n-grams and cues never cross . ; : ( )


@dataclass(frozen=True)
class Mention:
    name: str
    start: int  # token index
    end: int
    entry: Entry


# --- the gazetteer -------------------------------------------------------------------------


@cache
def all_authorities() -> tuple[Authority, ...]:
    """Every authority row of the gazetteer, in file order (by name)."""
    source = resources.files(__package__) / "data" / "authorities.csv"
    text = source.read_text(encoding="utf-8")
    return tuple(_row_to_authority(row, n) for n, row in enumerate(csv.DictReader(io.StringIO(text)), 2))


def _row_to_authority(row: dict[str, str], line: int) -> Authority:
    kind = row["kind"].strip()
    if kind not in KINDS:
        raise EvidenceError(f"authorities.csv line {line}: kind {kind!r} is not one of {', '.join(KINDS)}")
    try:
        years = [int(row[k]) if row[k].strip() else None for k in ("from", "until")]
    except ValueError:
        raise EvidenceError(f"authorities.csv line {line}: from/until must be years or blank") from None
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return Authority(row["name"].strip(), aliases, kind, years[0], years[1])


@cache
def authority_names() -> tuple[str, ...]:
    """The common names, each once, in gazetteer order."""
    return tuple(dict.fromkeys(a.name for a in all_authorities()))


def authorities_named(name: str) -> tuple[Authority, ...]:
    """The rows of one authority (two when its kind changed, as Dorset's did in 2019)."""
    return tuple(a for a in all_authorities() if a.name == name)


# --- names and slugs -----------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Quotes, ampersands and "St." made uniform, so spellings compare word for word."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    return re.sub(r"\bSt\.", "St", text, flags=re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _normalise(text).lower()))


@cache
def _names_by_key() -> dict[str, str]:
    keys: dict[str, str] = {}
    for authority in all_authorities():
        for spelling in (authority.name, *authority.aliases):
            keys.setdefault(_key(spelling), authority.name)
    return keys


def authority_from_name(name: str) -> str | None:
    """The common name for a name, alias or file-name slug ("kingston-upon-hull",
    "Royal Borough of Greenwich", "St. Helens Council"); None when it names no authority."""
    key = _key(name.replace("_", " "))
    names = _names_by_key()
    if key in names:
        return names[key]
    stripped = NAME_PREFIXES.sub("", NAME_SUFFIXES.sub("", key))
    return names.get(stripped)


# --- finding the authority in a text -------------------------------------------------------


@cache
def _lexicon() -> dict[tuple[str, ...], Entry]:
    lexicon: dict[tuple[str, ...], Entry] = {}
    for spelling in NOT_AUTHORITIES:
        words = tuple(re.findall(r"[A-Za-z0-9]+", _normalise(spelling)))
        lexicon[tuple(w.lower() for w in words)] = Entry(None, words, weak=False, council=False)
    for authority in all_authorities():
        name_words = {w.lower() for w in re.findall(r"[A-Za-z0-9]+", authority.name)}
        for spelling in (authority.name, *authority.aliases):
            words = tuple(re.findall(r"[A-Za-z0-9]+", _normalise(spelling)))
            key = tuple(w.lower() for w in words)
            weak = len(key) == 1 and len(name_words) > 1 and key[0] in name_words
            council = bool(COUNCIL_NAME_WORDS & set(key)) or key[:2] in COUNCIL_BEFORE
            lexicon.setdefault(key, Entry(authority.name, words, weak, council))
    return lexicon


@cache
def _longest_from() -> dict[str, int]:
    """For each word an alias starts with, the length of the longest such alias: most words
    start none, and are passed over without building a window."""
    longest: dict[str, int] = {}
    for key in _lexicon():
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return longest


def text_to_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    line = segment = 0
    for m in TOKEN.finditer(_normalise(text)):
        word = m.group()
        if word == "\n":
            line += 1
        elif word in BOUNDARY:
            segment += 1
        else:
            tokens.append(Token(word, word.lower(), line, segment))
    return tokens


def _spelled_alike(entry: Entry, window: list[Token]) -> bool:
    """Capitalised words of the alias are capitalised in the text (or in capitals), so the verb
    "bury" and "reading" the noun are not Bury and Reading."""
    return all(not w[0].isupper() or t.text[0].isupper() for w, t in zip(entry.words, window, strict=True))


def tokens_to_mentions(tokens: list[Token]) -> list[Mention]:
    """Longest alias first at each word; a match consumes its words."""
    lexicon, longest_from = _lexicon(), _longest_from()
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        step = 1
        for n in range(min(longest_from.get(tokens[i].lower, 0), len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            if window[-1].segment != window[0].segment:
                continue
            entry = lexicon.get(tuple(t.lower for t in window))
            if entry is not None and _spelled_alike(entry, window):
                if entry.name is not None:
                    mentions.append(Mention(entry.name, i, i + n, entry))
                step = n
                break
        i += step
    return mentions


def _council_context(tokens: list[Token], m: Mention) -> bool:
    after = tokens[m.end].lower if m.end < len(tokens) else ""
    before = tuple(t.lower for t in tokens[max(0, m.start - 2) : m.start])
    return after in COUNCIL_AFTER or any(before[-len(words) :] == words for words in COUNCIL_BEFORE)


def _inside_other_name(tokens: list[Token], m: Mention) -> bool:
    """A one-word name next to another capitalised word on the same line and in the same
    sentence (not a heading word like "of" or "Inspection")."""
    if m.end - m.start > 1:
        return False
    here = tokens[m.start]
    neighbours = [tokens[j] for j in (m.start - 1, m.end) if 0 <= j < len(tokens)]
    return any(
        t.line == here.line
        and t.segment == here.segment
        and t.text[0].isupper()
        and t.lower not in NEUTRAL_WORDS
        and t.lower not in COUNCIL_AFTER
        for t in neighbours
    )


def _sentence_initial(tokens: list[Token], m: Mention) -> bool:
    """A one-word name opening a sentence, followed by an ordinary lower-case word: its capital
    letter proves nothing ("Reading the report", "Bury the past"), so it needs confirming."""
    if m.end - m.start > 1 or m.end >= len(tokens):
        return False
    opens = m.start == 0 or tokens[m.start - 1].segment != tokens[m.start].segment
    after = tokens[m.end]
    lower_word = after.text[0].islower() and after.lower != "s" and after.lower not in COUNCIL_AFTER
    return opens and after.segment == tokens[m.start].segment and lower_word


def _before_postcode(tokens: list[Token], m: Mention) -> bool:
    after = tokens[m.end : m.end + 2]
    return len(after) == 2 and all(p.fullmatch(t.text) for p, t in zip(POSTCODE, after, strict=True))


def mention_weight(tokens: list[Token], m: Mention, title_end: int) -> float:
    if _before_postcode(tokens, m):
        return ADDRESS_WEIGHT
    weight = WEAK_WEIGHT if m.entry.weak else 1.0
    if m.entry.council or _council_context(tokens, m):
        weight *= COUNCIL_BONUS
    elif _inside_other_name(tokens, m):
        weight *= FOREIGN_WEIGHT
    if tokens[m.start].line < title_end:
        weight *= TITLE_BONUS
    return weight


def _title_end(text: str) -> int:
    """The line number after the first TITLE_LINES non-blank lines."""
    seen = 0
    for number, line in enumerate(text.split("\n")):
        seen += bool(line.strip())
        if seen == TITLE_LINES:
            return number + 1
    return text.count("\n") + 1


def _incidental(tokens: list[Token], mentions: list[Mention]) -> set[int]:
    """Indexes of mentions in comparison sentences or in lists of authorities."""
    segments: dict[int, list[str]] = {}
    for t in tokens:
        segments.setdefault(t.segment, []).append(t.lower)
    cued = {s for s, words in segments.items() if NEIGHBOUR_CUES.search(" ".join(words))}
    names_on_line: dict[int, set[str]] = {}
    for m in mentions:
        names_on_line.setdefault(tokens[m.start].line, set()).add(m.name)
    return {
        i
        for i, m in enumerate(mentions)
        if tokens[m.start].segment in cued or len(names_on_line[tokens[m.start].line]) >= LIST_MIN
    }


def score_mentions(text: str) -> dict[str, float]:
    """Each authority's weighed mentions in `text` (highest first), for explaining an answer."""
    tokens = text_to_tokens(text)
    mentions = tokens_to_mentions(tokens)
    skip = _incidental(tokens, mentions)
    title_end = _title_end(text)
    counted = [m for i, m in enumerate(mentions) if i not in skip]
    confirmed = {m.name for m in counted if not _sentence_initial(tokens, m)}
    scores: dict[str, float] = {}
    for m in counted:
        weight = mention_weight(tokens, m, title_end) if m.name in confirmed else 0.0
        if weight > 0:
            scores[m.name] = scores.get(m.name, 0.0) + weight
    # dicts keep insertion order, so equal scores stay in order of first mention
    return dict(sorted(scores.items(), key=lambda item: -item[1]))


def find_authority(text: str) -> str | None:
    """The authority a document is about, from its first pages or title area; None when no
    authority is named clearly enough."""
    scores = score_mentions(text)
    best = next(iter(scores.items()), None)
    return best[0] if best and best[1] >= MIN_SCORE else None
