"""How far two texts agree, scored many-against-many with rapidfuzz.

Each normalised text becomes the sorted string of one code point per word (a word of the
field's vocabulary, or a rare word, counts several times). On such strings rapidfuzz's
Indel ratio is exactly the weighted Dice coefficient of the two word sets, so
`process.cdist` scores a whole block in one vectorised call. From the Dice matrix and the
lengths follow the shared weight and the overlap coefficient, which forgives a restatement
that quotes only part of a recommendation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from .text import normalise, normalise_many, vocabulary

# A word of the field's vocabulary (supervision, IRO, private fostering, ...) names the subject
# of a recommendation: it weighs TERM_WEIGHT * RARE_WEIGHT, whatever the corpus, so that a
# link does not change when unrelated reports are added. A broad term of the vocabulary
# (plans, care leavers, assessment) weighs TERM_WEIGHT.
TERM_WEIGHT = 2
RARE_WEIGHT = 2
# An ordinary word found in more than this share of the inspections' recommendations says
# little on its own; rarer ordinary words count RARE_WEIGHT.
COMMON_SHARE = 0.06
# In a repeat, what an item asks to improve (its head: see link/text.py) counts this many times
# as much as the purposes and examples after it.
HEAD_WEIGHT = 2
# Below this many pairs, scoring in threads costs more than it saves (a block of one
# authority's documents is small).
PARALLEL_PAIRS = 20_000
# Code points from the supplementary planes: no clash with real characters, room for 250,000 words.
FIRST_CODE = 0x10000
ROOM = TERM_WEIGHT * RARE_WEIGHT * HEAD_WEIGHT  # code points kept for each word


@dataclass(frozen=True)
class Encoded:
    """Texts ready to be scored: their words, and their weighted code strings."""

    words: list[frozenset[str]]
    codes: list[str]
    sizes: np.ndarray


class WordCounts:
    """What an encoder's weights are made from, gathered a few texts at a time, so that a
    store's recommendations need not all be held at once: every word of the texts, and in how
    many distinct reference texts each word is used (counted once per text however often its
    recommendations restate it). Without reference texts, every text is one."""

    def __init__(self) -> None:
        self.reference = Counter[str]()
        self.every = Counter[str]()
        # distinct texts by their hash: a nation's recommendations as numbers, not as text
        self.seen_reference: set[int] = set()
        self.seen_every: set[int] = set()

    def add(self, normalised: Iterable[str], reference: Iterable[str] = ()) -> None:
        """Count normalised texts, and the normalised reference texts among them."""
        for text in normalised:
            if hash(text) not in self.seen_every:
                self.seen_every.add(hash(text))
                self.every.update(text.split())
        for text in reference:
            if hash(text) not in self.seen_reference:
                self.seen_reference.add(hash(text))
                self.reference.update(text.split())

    def counted(self) -> tuple[Counter[str], int]:
        """(texts using each word, distinct texts) of the reference texts, or of every text."""
        if self.seen_reference:
            return self.reference, len(self.seen_reference)
        return self.every, len(self.seen_every)

    @property
    def words(self) -> set[str]:
        """Every word of the texts."""
        return set(self.every)


class Encoder:
    """Gives each word its code points; one encoder for all texts linked together."""

    def __init__(self, texts: Sequence[str], reference: Sequence[str] = ()) -> None:
        """`reference`: the texts whose words tell common from rare (an inspection's own
        recommendations, each once, rather than the many restatements of them); by default
        all `texts`."""
        self.normalised = dict(zip(texts, normalise_many(texts), strict=False))
        counts = WordCounts()
        counts.add(self.normalised.values(), normalise_many(reference))
        self.weigh(counts)

    @classmethod
    def of_counts(cls, counts: WordCounts) -> Encoder:
        """An encoder whose texts are normalised as they are met (from the readings the
        process remembers: see link/text.py), not all at once."""
        encoder = cls.__new__(cls)
        encoder.normalised = {}
        encoder.weigh(counts)
        return encoder

    def weigh(self, counts: WordCounts) -> None:
        self.terms = frozenset(vocabulary().terms.values())
        used, distinct = counts.counted()
        limit = max(2.0, COMMON_SHARE * distinct)
        broad = vocabulary().broad_terms
        self.weights = {w: self.word_weight(w, used[w] > limit, broad) for w in set(used) | counts.words}
        self.codes: dict[str, str] = {}
        self.weighted: dict[tuple[str, int], str] = {}

    def word_weight(self, word: str, common: bool, broad: frozenset[str]) -> int:
        """A subject of the field weighs the most whatever the corpus; a broad term (care
        leavers, plans) less; an ordinary word counts double only where it is rare."""
        if word in broad:
            return TERM_WEIGHT
        if word in self.terms:
            return TERM_WEIGHT * RARE_WEIGHT
        return 1 if common else RARE_WEIGHT

    def word_code(self, word: str) -> str:
        if word not in self.codes:
            self.codes[word] = chr(FIRST_CODE + ROOM * len(self.codes))
        return self.codes[word]

    def word_codes(self, word: str, times: int = 1) -> str:
        """A word's code points: as many as its weight, `times` over."""
        key = (word, times)
        if key not in self.weighted:
            start = ord(self.word_code(word))
            self.weighted[key] = "".join(chr(start + k) for k in range(self.weights.get(word, 1) * times))
        return self.weighted[key]

    def words_of(self, texts: Sequence[str]) -> list[frozenset[str]]:
        known = self.normalised
        return [frozenset((known[t] if t in known else normalise(t)).split()) for t in texts]

    def encode(self, texts: Sequence[str]) -> Encoded:
        words = self.words_of(texts)
        codes = ["".join(sorted("".join(self.word_codes(w) for w in ws))) for ws in words]
        return Encoded(words, codes, np.array([len(c) for c in codes], dtype=np.float32))

    def encode_heads(self, texts: Sequence[str], heads: Sequence[frozenset[str]]) -> Encoded:
        """Texts whose head words (what they ask to improve) weigh HEAD_WEIGHT times the rest."""
        words = self.words_of(texts)
        codes = [
            "".join(sorted("".join(self.word_codes(w, HEAD_WEIGHT if w in head else 1) for w in ws)))
            for ws, head in zip(words, heads, strict=True)
        ]
        return Encoded(words, codes, np.array([len(c) for c in codes], dtype=np.float32))

    def encode_words(self, words: Sequence[frozenset[str]]) -> Encoded:
        """Word sets already read (the heads of texts), ready to be scored."""
        words = list(words)
        codes = ["".join(sorted("".join(self.word_codes(w) for w in ws))) for ws in words]
        return Encoded(words, codes, np.array([len(c) for c in codes], dtype=np.float32))

    def weight(self, words: frozenset[str]) -> int:
        return sum(self.weights.get(w, 1) for w in words)


@dataclass(frozen=True)
class Scores:
    """Agreement of every text of `a` with every text of `b`."""

    dice: np.ndarray
    overlap: np.ndarray
    shared: np.ndarray

    @property
    def agreement(self) -> np.ndarray:
        """The mean of Dice (whole texts agree) and overlap (one is contained in the other)."""
        return (self.dice + self.overlap) / 2


def score(a: Encoded, b: Encoded) -> Scores:
    if not a.codes or not b.codes:
        empty = np.zeros((len(a.codes), len(b.codes)), dtype=np.float32)
        return Scores(empty, empty, empty)
    workers = -1 if len(a.codes) * len(b.codes) >= PARALLEL_PAIRS else 1
    dice = process.cdist(a.codes, b.codes, scorer=fuzz.ratio, dtype=np.float32, workers=workers) / 100
    total = a.sizes[:, None] + b.sizes[None, :]
    shared = np.rint(dice * total / 2)
    smaller = np.maximum(np.minimum(a.sizes[:, None], b.sizes[None, :]), 1)
    return Scores(dice, shared / smaller, shared)


def shown(word: str) -> str:
    return word.replace("_", " ")


def both_mention(a: frozenset[str], b: frozenset[str], weights: dict[str, int], most: int = 5) -> list[str]:
    """The shared words a reviewer can check, the most telling first."""
    common = sorted(a & b, key=lambda w: (-weights.get(w, 1), w))
    return [shown(w) for w in common[:most]]
