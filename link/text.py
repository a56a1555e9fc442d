"""Texts normalised for matching by meaning: the field's terms folded, lemmas, no stop words.

"Ensure that assessments for children looked after are timely" becomes
"assessment lac timely": what is left is what a reviewer would call the subject.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Printed cross-references say where the inspectors found something, not what it is about.
PARAGRAPH_REFS = re.compile(r"\((?:see\s+)?paragraphs?\s+[^)]*\)", re.I)
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, str]  # phrase -> term
    broad_terms: frozenset[str]
    stop_words: frozenset[str]
    pattern: re.Pattern[str]

    def fold(self, text: str) -> str:
        """Every phrase of the field replaced by its one term (looked after children -> lac)."""
        return self.pattern.sub(lambda m: f" {self.terms[m.group(1).lower()]} ", text)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = json.loads(resources.files("link").joinpath("data/vocabulary.json").read_text(encoding="utf-8"))
    terms: dict[str, str] = {}
    for term, phrases in data["terms"].items():
        for phrase in phrases:
            terms[phrase.lower().translate(QUOTES)] = term
    # Longest first, so "child protection plans" wins over "child protection".
    alternatives = "|".join(re.escape(p) for p in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({alternatives})s?(?![\w-])", re.I)
    return Vocabulary(terms, frozenset(data["broad_terms"]), frozenset(data["stop_words"]), pattern)


@lru_cache(maxsize=1)
def get_nlp() -> Any:
    """One blank English pipeline with the lookup lemmatizer: rules only, no model to download."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def prepare(text: str) -> str:
    text = PARAGRAPH_REFS.sub(" ", text.translate(QUOTES))
    return vocabulary().fold(text.lower())


def normalise_many(texts: Iterable[str]) -> list[str]:
    """Normalised texts, in order; each distinct text is processed once."""
    texts = list(texts)
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    vocab = vocabulary()
    terms = set(vocab.terms.values())
    for text, doc in zip(todo, get_nlp().pipe(prepare(t) for t in todo), strict=False):
        words = []
        for token in doc:
            word = token.text if token.text in terms else token.lemma_.lower()
            if token.is_punct or token.is_space or token.like_num or token.is_stop or len(word) < 2:
                continue
            if word in vocab.stop_words or token.text in vocab.stop_words or not re.search(r"[a-z]", word):
                continue
            words.append(word)
        _cache[text] = " ".join(words)
    return [_cache[t] for t in texts]


def normalise(text: str) -> str:
    return normalise_many([text])[0]


# Normalising is pure, so its results are kept for the life of the process (a build links
# the same texts again on every run).
_cache: dict[str, str] = {}
