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
from functools import cached_property

import numpy as np

from .model import Row, sub_items
from .score import Encoder, score
from .text import head_of, normalise, vocabulary

# Tunables. Scores are text agreement in 0-1, as in link/stages.py, with heads weighing more.
# A later inspection repeats an earlier recommendation in new words ("management oversight
# and supervision" for "supervision is reflective"): a lower bar than a restatement, but the
# two must share a word of the field's vocabulary ...
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
    core: str  # what it asks to improve: its head, or its bullet
    bullet: str | None = None


def units(targets: list[Row]) -> list[Unit]:
    """Each recommendation, or, when it has bullets, its lead-in with each bullet: the words
    of different bullets do not add up to a repeat of none of them."""
    out = []
    for j, target in enumerate(targets):
        text, bullets = target["text"], sub_items(target)
        if not bullets:
            out.append(Unit(j, text, head_of(text)))
            continue
        lead = lead_in(text, bullets)
        out.extend(Unit(j, f"{lead} {bullet}", bullet, bullet) for bullet in bullets)
    return out


def lead_in(text: str, bullets: list[str]) -> str:
    start = text.find(bullets[0][:30])
    return text[:start] if start > 0 else head_of(text)


@dataclass(frozen=True)
class Reading:
    """The words of a text as the rules read them."""

    text: str

    @cached_property
    def head(self) -> frozenset[str]:
        return frozenset(normalise(head_of(self.text)).split())

    @cached_property
    def first_words(self) -> list[str]:
        return normalise(head_of(self.text)).split()

    @cached_property
    def subjects(self) -> frozenset[str]:
        """The vocabulary terms among the first words: what must improve."""
        vocab = vocabulary()
        return frozenset(w for w in self.first_words[:LEADING_WORDS] if w in vocab.term_set) - vocab.cohorts


class Repeats:
    """Which earlier units each later item repeats."""

    def __init__(self, encoder: Encoder, later: list[str], found: list[Unit]) -> None:
        self.encoder = encoder
        self.later, self.found = later, found
        # A later item asks for one thing in a few words: all of it is its head.
        self.a = encoder.encode_heads(later, later)
        self.b = encoder.encode_heads(
            [u.text for u in found], [u.core if self.names_subject(u.core) else u.text for u in found]
        )
        self.agreement = score(self.a, self.b).agreement
        self.readings = {t: Reading(t) for t in {*later, *(u.core for u in found)}}

    def names_subject(self, text: str) -> bool:
        """A head that names a subject of the field ("recording") is what is asked; one that
        does not ("Strengthen adherence to the protocol") leaves that to the words after it."""
        return bool(set(normalise(head_of(text)).split()) & vocabulary().term_set)

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
        common = self.a.words[i] & self.b.words[u]
        later, core = self.readings[self.later[i]], self.readings[unit.core]
        if unit.bullet is not None and not common & frozenset(normalise(unit.bullet).split()):
            return False  # only the lead-in is shared: no bullet is repeated
        if self.different_subjects(later, core, self.a.words[i], self.b.words[u]):
            return False
        value = self.agreement[i, u]
        if value >= RECURS_AGREEMENT and self.weighty(common):
            return True
        return value >= SUBJECT_AGREEMENT and self.same_subject(later, core, self.a.words[i], self.b.words[u])

    def weighty(self, common: frozenset[str]) -> bool:
        subjects = (common & self.encoder.terms) - vocabulary().cohorts
        return bool(subjects) and self.encoder.weight(common) >= RECURS_SHARED

    @staticmethod
    def different_subjects(later: Reading, core: Reading, a: frozenset[str], b: frozenset[str]) -> bool:
        """Each head names a subject of the field that the other text lacks ("management
        oversight and supervision" against "management oversight of cases in pre-proceedings")."""
        vocab = vocabulary()
        specific = vocab.term_set - vocab.broad_terms
        return bool((later.head & specific) - b) and bool((core.head & specific) - a)

    @staticmethod
    def same_subject(later: Reading, core: Reading, a: frozenset[str], b: frozenset[str]) -> bool:
        """The earlier recommendation starts with what the later item names as its subject,
        and they speak of the same children."""
        vocab = vocabulary()
        cohorts = vocab.cohorts
        first = core.first_words[:1]
        if not first or first[0] not in later.subjects:
            return False
        if (later.subjects - vocab.broad_terms) - b:
            return False  # "plan for ... transition to adulthood" is about transitions, not plans
        ours, theirs = a & cohorts, b & cohorts
        return not (ours and theirs and not ours & theirs)
