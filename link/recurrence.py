"""When a later inspection repeats an earlier recommendation (`recurs_in`).

A careful reader asks whether the later item names, as what must improve, what the earlier
recommendation asked for. Each pair of a later item and an earlier recommendation (or one
bullet of it: a long themed recommendation is read bullet by bullet, and the best bullet
counts) is described by features a reviewer understands (`FEATURES`): how far the texts and
their heads agree, which subjects of the field they share and in which sense, shared rare
words, whether their heads name different subjects, whether they are asked of the same body,
and how far they agree in meaning (link/meaning.py: paraphrases such as "exploitation" and
"CSE" agree), whole, by their heads and by their closest clauses.
A logistic regression learned from hand-drawn recurrences (link/learn.py, link/train.py)
turns them into the probability that a careful reader accepts the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from extract.blocks import split_sentences
from extract.records import Recommendation
from extract.vocab import party

from .learn import Weights
from .meaning import meanings
from .score import Encoder, score
from .text import head_of, heads_many, normalise_many, vocabulary

# Tunables.
# Pairs whose texts agree less than this are not scored at all (for speed): on the hand-drawn
# recurrences no accepted pair agrees less than 0.08.
CANDIDATE_AGREEMENT = 0.06
# How many of a later item's first words (after stop words) name its subject: "The quality,
# consistency and timeliness of assessments" -> timeliness, assessment.
LEADING_WORDS = 3
# A later item this short (in normalised words) is a broad heading ("The quality of practice
# and management oversight") that a reader links to several earlier asks.
SHORT_ITEM = 8
# A clause this short ("17 years old") says too little to be compared on its own.
MIN_PART_WORDS = 3
# Counts are capped: a fourth shared subject says little more than a third.
MOST = 3

# The features, in the order of the model's weights, with the words the evidence uses.
FEATURES = (
    ("agreement", "text agreement"),
    ("head_agreement", "agreement of what they ask to improve"),
    ("subjects", "shared subjects of the field"),
    ("subject_found", "the later item's subject is in the earlier"),
    ("broad_only", "only broad words shared"),
    ("rare", "shared rare words"),
    ("conflict", "their heads name different subjects"),
    ("same_subject", "the earlier starts with the later item's subject"),
    ("cohort_clash", "different groups of children"),
    ("other_body", "asked of another body"),
    ("short", "the later item is a broad heading"),
    ("head_terms", "what both ask to improve"),
    ("best_for_later", "the closest earlier ask to the later item"),
    ("best_for_earlier", "the closest later item to the earlier ask"),
    ("meaning", "agreement in meaning"),
    ("head_meaning", "agreement in meaning of what they ask to improve"),
    ("part_meaning", "agreement in meaning of their closest parts"),
    ("meaning_best_for_later", "the earlier ask closest in meaning to the later item"),
    ("meaning_best_for_earlier", "the later item closest in meaning to the earlier ask"),
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)


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


def units(targets: list[Recommendation], by_sentence: bool = False) -> list[Unit]:
    """Each recommendation, or, when it has bullets, its lead-in with each bullet: words from
    different bullets do not add up to a repeat. `by_sentence`: a paragraph (a peer review's
    area for consideration) is read sentence by sentence, as bullets are."""
    out: list[Unit] = []
    for j, target in enumerate(targets):
        text, bullets = target.text, list(target.sub_items)
        if not bullets and by_sentence and len(split_sentences(text)) > 1:
            out.extend(Unit(j, sentence, sentence) for sentence in split_sentences(text))
            continue
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


@dataclass(frozen=True)
class Candidate:
    """A later item and one unit of an earlier recommendation, described by FEATURES."""

    later: int
    earlier: int  # the recommendation's place in the earlier list
    unit: int
    x: np.ndarray
    shared: tuple[str, ...]  # the shared subjects and rare words, to show


class Repeats:
    """The candidate repeats of earlier recommendations by later items."""

    def __init__(
        self,
        encoder: Encoder,
        later: list[Recommendation],
        earlier: list[Recommendation],
        by_sentence: bool = False,
    ) -> None:
        self.encoder = encoder
        self.later, self.earlier = later, earlier
        self.found = units(earlier, by_sentence)
        texts = [r.text for r in later]
        self.readings = readings([*texts, *(u.core for u in self.found)])
        # A later item asks for one thing in a few words: all of it is its head.
        self.a = encoder.encode_heads(texts, [self.readings[t].words for t in texts])
        self.b = encoder.encode_heads([u.text for u in self.found], [self.weighed(u) for u in self.found])
        self.agreement = score(self.a, self.b).agreement
        heads_a = encoder.encode_words([self.readings[t].head for t in texts])
        heads_b = encoder.encode_words(
            [self.readings[u.core].head or self.readings[u.core].words for u in self.found]
        )
        self.head_agreement = score(heads_a, heads_b).agreement
        # In meaning (link/meaning.py): paraphrases ("exploitation", "CSE") agree here too.
        self.meaning = meanings().agreement(subject_words(self.a.words), subject_words(self.b.words))
        self.head_meaning = meanings().agreement(subject_words(heads_a.words), subject_words(heads_b.words))
        self.part_meaning = self.parts_agreement(texts, [u.core for u in self.found])
        # Each later item's best agreement with any earlier unit, and each unit's with any later item.
        self.best_later = self.agreement.max(axis=1) if self.agreement.size else np.zeros(len(later))
        self.best_earlier = self.agreement.max(axis=0) if self.agreement.size else np.zeros(len(self.found))
        # ... and the same in meaning.
        self.best_meaning_later = self.meaning.max(axis=1) if self.meaning.size else np.zeros(len(later))
        self.best_meaning_earlier = (
            self.meaning.max(axis=0) if self.meaning.size else np.zeros(len(self.found))
        )

    def parts_agreement(self, a: list[str], b: list[str]) -> np.ndarray:
        """Each text of `a` against each of `b`, part by part (the clauses a list of subjects
        is printed in): the closest two parts' agreement in meaning."""
        parts_a, parts_b = [parts_of(t) for t in a], [parts_of(t) for t in b]
        flat_a = [p for ps in parts_a for p in ps]
        flat_b = [p for ps in parts_b for p in ps]
        if not flat_a or not flat_b:
            return np.zeros((len(a), len(b)))
        words_a = subject_words([frozenset(w.split()) for w in normalise_many(flat_a)])
        words_b = subject_words([frozenset(w.split()) for w in normalise_many(flat_b)])
        each = meanings().agreement(words_a, words_b)
        rows = np.repeat(np.arange(len(a)), [len(ps) for ps in parts_a])
        cols = np.repeat(np.arange(len(b)), [len(ps) for ps in parts_b])
        out = np.zeros((len(a), len(b)))
        np.maximum.at(out, (rows[:, None], cols[None, :]), each)
        return out

    def weighed(self, unit: Unit) -> frozenset[str]:
        """The words of a unit that weigh as its head: all of a bullet; a recommendation's head
        when it names a subject of the field ("Improve the quality of recording so that ...");
        else all its words, for a head that names none ("Strengthen adherence to the protocol
        to ensure ...") leaves what is asked to the words after it."""
        core = self.readings[unit.core]
        if unit.bullet is not None:
            return core.words
        return core.head if core.head & self.encoder.terms else core.words

    def candidates(self, floor: float = CANDIDATE_AGREEMENT) -> list[Candidate]:
        found = []
        for i, u in np.argwhere(self.agreement >= floor):
            candidate = self.describe(int(i), int(u))
            if candidate is not None:
                found.append(candidate)
        return found

    def describe(self, i: int, u: int) -> Candidate | None:
        vocab = vocabulary()
        unit = self.found[u]
        a, b = self.a.words[i], self.b.words[u]
        common = a & b
        later, core = self.readings[self.later[i].text], self.readings[unit.core]
        if unit.bullet is not None and not common & core.words:
            return None  # only the lead-in is shared: no bullet is repeated
        specific = vocab.term_set - vocab.broad_terms - vocab.cohorts
        subjects = common & specific
        broad = (common & vocab.broad_terms) - vocab.cohorts
        rare = {w for w in common - vocab.term_set if self.encoder.weights.get(w, 1) > 1}
        later_subjects = later.head & specific
        ours, theirs = a & vocab.cohorts, b & vocab.cohorts
        both_heads = (later.head & core.head & vocab.term_set) - vocab.cohorts
        value = self.agreement[i, u]
        x = np.array(
            [
                self.agreement[i, u],
                self.head_agreement[i, u],
                min(len(subjects), MOST),
                float(bool(later_subjects) and later_subjects <= b),
                float(not subjects and bool(broad)),
                min(len(rare), MOST),
                float(different_subjects(later, core, a, b)),
                float(same_subject(later, core, a, b)),
                float(bool(ours and theirs and not ours & theirs)),
                float(party(self.later[i].body) != party(self.earlier[unit.target].body)),
                float(len(later.words) <= SHORT_ITEM),
                min(len(both_heads), MOST),
                # a pair that shares nothing is nobody's closest (every pair is ranked now)
                float(0 < value >= self.best_later[i]),
                float(0 < value >= self.best_earlier[u]),
                *self.meaning_features(i, u),
            ],
            dtype=np.float64,
        )
        shown = sorted(subjects | both_heads) + sorted(rare)[:MOST]
        return Candidate(i, unit.target, u, x, tuple(w.replace("_", " ") for w in shown))

    def meaning_features(self, i: int, u: int) -> list[float]:
        """How close the two are in meaning: whole, heads, parts, and whether each is the
        other's closest."""
        return [
            float(self.meaning[i, u]),
            float(self.head_meaning[i, u]),
            float(self.part_meaning[i, u]),
            float(0 < self.meaning[i, u] >= self.best_meaning_later[i]),
            float(0 < self.meaning[i, u] >= self.best_meaning_earlier[u]),
        ]


# Where a list of subjects breaks into its parts.
PART_BREAK = re.compile(r"[,;:]\s*(?:and\s+|or\s+)?|\s+and\s+(?=the\b|to\b|ensure\b|improve\b)|\.\s+", re.I)


def parts_of(text: str) -> list[str]:
    """The clauses of a text that say something (at least MIN_PART_WORDS words)."""
    parts = [p.strip() for p in PART_BREAK.split(text)]
    return [p for p in parts if len(p.split()) >= MIN_PART_WORDS] or [text]


def subject_words(texts: list[frozenset[str]]) -> list[frozenset[str]]:
    """The words of texts that can say what they are about: a group of children (care leavers)
    alone does not make two asks one, so it is left out, unless nothing else is left."""
    cohorts = vocabulary().cohorts
    return [words - cohorts or words for words in texts]


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


# A feature is named in the evidence when it moves the log-odds by at least this much.
TELLING = 0.25


def explain(weights: Weights, candidate: Candidate) -> str:
    """The probability, and what pulled it up or down, most telling first: "probability 0.91
    that a reader accepts it: text agreement 0.52 (+2.3); shared subjects of the field:
    supervision (+1.1); their heads name different subjects (-1.4)"."""
    words = dict(FEATURES)
    parts = []
    pulls = weights.coef * candidate.x
    for k in np.argsort(-np.abs(pulls)):
        pull = float(pulls[k])
        if abs(pull) < TELLING:
            continue
        name = weights.features[k]
        value = float(candidate.x[k])
        if name in ("agreement", "head_agreement", "meaning", "head_meaning", "part_meaning"):
            said = f"{words[name]} {value:.2f}"
        elif name == "subjects" or name == "rare":
            said = f"{words[name]} {int(value)}"
        else:
            said = words.get(name, name)
        parts.append(f"{said} ({pull:+.1f})")
    chance = float(weights.probability(candidate.x[None, :])[0])
    shared = f"; both: {', '.join(candidate.shared)}" if candidate.shared else ""
    return f"probability {chance:.2f} that a reader accepts it: {'; '.join(parts) or 'no telling feature'}{shared}"
