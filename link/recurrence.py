"""When a later inspection repeats an earlier recommendation (`recurs_in`).

A careful reader asks whether the later item names, as what must improve, what the earlier
recommendation asked for. So the texts are compared with their heads (what they ask to
improve, before "so that", "including" ...: see link/text.py) weighing more than their
purposes and examples; a recommendation of several bullets is read as its lead-in with each
bullet in turn; and two items whose heads each name a subject of the field the other lacks
are about different things, however many words they share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Row, sub_items
from .score import Encoder, score
from .text import head_of, heads_many, normalise_many, vocabulary

# Tunables. Scores are text agreement in 0-1, as in link/stages.py, with heads weighing more.
# A later inspection repeats an earlier recommendation in new words ("management oversight
# and supervision" for "supervision is reflective"): a lower bar than a restatement, but the
# two must share a subject of the field's vocabulary (a group of children such as care
# leavers is not one) ...
RECURS_AGREEMENT = 0.3
# ... and the shared words must weigh at least this much (a rare word of the vocabulary
# weighs 4, a common one 2, an ordinary word 1 or 2): one common word ("plan") is no repeat ...
RECURS_SHARED = 3
# ... unless it is the subject of both: the later item names it among its first words, and
# the earlier recommendation starts with it ("The quality of plans for children" against
# "Ensure that plans to help children ... are specific"). Then this much agreement will do.
SUBJECT_AGREEMENT = 0.15
# How many of a later item's first words (after stop words) name its subject: "The quality,
# consistency and timeliness of assessments" -> timeliness, assessment.
LEADING_WORDS = 3


@dataclass(frozen=True)
class Unit:
    """What a later item is compared with: a recommendation, or its lead-in with one bullet."""

    target: int  # the recommendation's place in the list
    text: str
    bullet: str | None = None

    @property
    def core(self) -> str:
        """The text whose head says what the unit asks to improve: its bullet, or all of it."""
        return self.bullet if self.bullet is not None else self.text


def units(targets: list[Row]) -> list[Unit]:
    """Each recommendation, or, when it has bullets, its lead-in with each bullet: words from
    different bullets do not add up to a repeat."""
    out = []
    for j, target in enumerate(targets):
        text, bullets = target["text"], sub_items(target)
        if not bullets:
            out.append(Unit(j, text))
            continue
        lead = lead_in(text, bullets)
        out.extend(Unit(j, f"{lead} {bullet}", bullet) for bullet in bullets)
    return out


def lead_in(text: str, bullets: list[str]) -> str:
    start = text.find(bullets[0][:30])
    return text[:start] if start > 0 else head_of(text)


@dataclass(frozen=True)
class Reading:
    """The words of a text as the rules read them."""

    words: frozenset[str]
    first_words: tuple[str, ...]  # its head's, in order

    @property
    def head(self) -> frozenset[str]:
        return frozenset(self.first_words)

    @property
    def subjects(self) -> frozenset[str]:
        """The vocabulary terms among the first words: what must improve."""
        vocab = vocabulary()
        leading = self.first_words[:LEADING_WORDS]
        return frozenset(w for w in leading if w in vocab.term_set) - vocab.cohorts


def readings(texts: list[str]) -> dict[str, Reading]:
    texts = list(dict.fromkeys(texts))
    pairs = zip(texts, normalise_many(texts), heads_many(texts), strict=True)
    return {t: Reading(frozenset(words.split()), tuple(head.split())) for t, words, head in pairs}


class Repeats:
    """Which earlier units each later item repeats."""

    def __init__(self, encoder: Encoder, later: list[str], found: list[Unit]) -> None:
        self.encoder = encoder
        self.later, self.found = later, found
        self.readings = readings([*later, *(u.core for u in found)])
        # A later item asks for one thing in a few words: all of it is its head.
        self.a = encoder.encode_heads(later, [self.readings[t].words for t in later])
        self.b = encoder.encode_heads([u.text for u in found], [self.weighed(u) for u in found])
        self.agreement = score(self.a, self.b).agreement

    def weighed(self, unit: Unit) -> frozenset[str]:
        """The words of a unit that weigh as its head: all of a bullet; a recommendation's head
        when it names a subject of the field ("Improve the quality of recording so that ...");
        else all its words, for a head that names none ("Strengthen adherence to the protocol
        to ensure ...") leaves what is asked to the words after it."""
        core = self.readings[unit.core]
        if unit.bullet is not None:
            return core.words
        return core.head if core.head & self.encoder.terms else core.words

    def of(self, i: int) -> dict[int, int]:
        """The units item i repeats, the best per recommendation: {target: unit}."""
        best: dict[int, int] = {}
        bar = min(RECURS_AGREEMENT, SUBJECT_AGREEMENT)
        for u in map(int, np.flatnonzero(self.agreement[i] >= bar)):
            j = self.found[u].target
            if self.repeats(i, u) and (j not in best or self.agreement[i, u] > self.agreement[i, best[j]]):
                best[j] = u
        return best

    def repeats(self, i: int, u: int) -> bool:
        unit = self.found[u]
        a, b = self.a.words[i], self.b.words[u]
        common = a & b
        later, core = self.readings[self.later[i]], self.readings[unit.core]
        if unit.bullet is not None and not common & core.words:
            return False  # only the lead-in is shared: no bullet is repeated
        if different_subjects(later, core, a, b):
            return False
        value = self.agreement[i, u]
        if value >= RECURS_AGREEMENT and self.weighty(common):
            return True
        return value >= SUBJECT_AGREEMENT and same_subject(later, core, a, b)

    def weighty(self, common: frozenset[str]) -> bool:
        subjects = (common & self.encoder.terms) - vocabulary().cohorts
        return bool(subjects) and self.encoder.weight(common) >= RECURS_SHARED


def different_subjects(later: Reading, core: Reading, a: frozenset[str], b: frozenset[str]) -> bool:
    """Each head names a subject of the field that the other text lacks ("management
    oversight and supervision" against "management oversight of cases in pre-proceedings")."""
    vocab = vocabulary()
    specific = vocab.term_set - vocab.broad_terms
    return bool((later.head & specific) - b) and bool((core.head & specific) - a)


def same_subject(later: Reading, core: Reading, a: frozenset[str], b: frozenset[str]) -> bool:
    """The earlier recommendation starts with what the later item names as its subject, the
    later item names no narrower subject the earlier lacks, and they speak of the same children."""
    vocab = vocabulary()
    if not core.first_words or core.first_words[0] not in later.subjects:
        return False
    if (later.subjects - vocab.broad_terms) - b:
        return False  # "plan for ... transition to adulthood" is about transitions, not plans
    ours, theirs = a & vocab.cohorts, b & vocab.cohorts
    return not (ours and theirs and not ours & theirs)
