"""Texts normalised for matching by meaning: the field's terms folded, lemmas, no stop words.

"Ensure that assessments for children looked after are timely" becomes
"assessment lac timely": what is left is what a reviewer would call the subject.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from extract.vocab import QUOTES

# Printed cross-references say where the inspectors found something, not what it is about.
PARAGRAPH_REFS = re.compile(r"\((?:see\s+)?paragraphs?\s+[^)]*\)", re.I)
# What an item asks to be improved comes first; after these words it says why ("so that ...",
# "to ensure ..."), gives examples ("including ...", "in particular ..."), or goes on to a new
# sentence or a list. "Improve the quality of recording so that ..., including management
# oversight, are recorded" asks for better recording, not for better management oversight.
QUALIFIER = re.compile(
    r"\b(?:so\s+that|so\s+it|so\s+they|to\s+ensure|in\s+order\s+to|to\s+enable|to\s+avoid|to\s+prevent"
    r"|including|this\s+includes|in\s+particular|particularly|such\s+as)\b|[.;:](?=\s|$)",
    re.I,
)


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, str]  # phrase -> term
    term_set: frozenset[str]
    implied: dict[str, str]  # term -> the term and the broader terms it is a case of
    broad_terms: frozenset[str]
    cohorts: frozenset[str]
    stop_words: frozenset[str]
    pattern: re.Pattern[str]
    # each term with its phrases as the file writes them (the site names a subject by its first)
    subjects: tuple[tuple[str, tuple[str, ...]], ...]
    source: bytes  # the file as read, which the readings' fingerprint (`normaliser`) hashes

    def fold(self, text: str) -> str:
        """Every phrase of the field replaced by its one term (looked after children -> lac)."""
        return self.pattern.sub(lambda m: f" {self.implied[self.terms[m.group(1).lower()]]} ", text)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    source = resources.files("link").joinpath("data/vocabulary.json").read_bytes()
    data = json.loads(source)
    terms: dict[str, str] = {}
    for term, phrases in data["terms"].items():
        for phrase in phrases:
            terms[phrase.lower().translate(QUOTES)] = term
    # Longest first, so "child protection plans" wins over "child protection".
    alternatives = "|".join(re.escape(p) for p in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({alternatives})s?(?![\w-])")  # texts are lowercased first
    implies = data.get("implies", {})
    implied = {t: " ".join([t, *implies.get(t, [])]) for t in terms.values()}
    return Vocabulary(
        terms,
        frozenset(terms.values()),
        implied,
        frozenset(data["broad_terms"]),
        frozenset(data.get("cohorts", [])),
        frozenset(data["stop_words"]),
        pattern,
        tuple((term, tuple(phrases)) for term, phrases in data["terms"].items()),
        source,
    )


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
    if not todo:  # all read before (or by a worker): spaCy need not even be loaded
        return [_cache[t] for t in texts]
    nlp = get_nlp()
    prepared = [prepare(t) for t in todo]
    # Only the tokenizer runs per text; what becomes of a token (its lemma, or nothing for a
    # stop word) is decided once per distinct token, which is most of the speed on a region.
    for text, ready, doc in zip(todo, prepared, nlp.tokenizer.pipe(prepared), strict=True):
        words = [_words[token.text] if token.text in _words else word_of(token.text, nlp) for token in doc]
        _cache[text] = " ".join(w for w in words if w)
        cut = head_end(ready)
        if cut < len(ready):
            _heads[text] = " ".join(w for token, w in zip(doc, words, strict=True) if w and token.idx < cut)
        else:
            _heads[text] = _cache[text]
    return [_cache[t] for t in texts]


def heads_many(texts: Iterable[str]) -> list[str]:
    """The normalised heads of texts (see `head_of`), in order."""
    texts = list(texts)
    normalise_many(texts)
    return [_heads[t] for t in texts]


def head_end(text: str) -> int:
    """Where the head of a text ends: the first purpose, example or sentence end after its start."""
    match = QUALIFIER.search(text)
    return match.start() if match and match.start() > 0 else len(text)


def word_of(token: str, nlp: Any) -> str | None:
    """The word a token contributes: its lemma, a term of the vocabulary as is, or nothing."""
    vocab = vocabulary()
    lexeme = nlp.vocab[token]
    lemmas = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    word = token if token in vocab.term_set else str(lemmas.get(token, token)).lower()
    drop = (
        lexeme.is_punct
        or lexeme.is_space
        or lexeme.like_num
        or lexeme.is_stop
        or len(word) < 2
        or word in vocab.stop_words
        or token in vocab.stop_words
        or not re.search(r"[a-z]", word)
    )
    _words[token] = None if drop else word
    return _words[token]


def head_of(text: str) -> str:
    """What an item asks to improve: its words before the first purpose, example or sentence end."""
    text = PARAGRAPH_REFS.sub(" ", text.translate(QUOTES))
    return text[: head_end(text)]


def normalise(text: str) -> str:
    return normalise_many([text])[0]


Reading = tuple[str, str, str]  # a text, its normalised words, the normalised words of its head


def readings_of(texts: Iterable[str]) -> list[Reading]:
    """Each distinct text with its normalised words and head: what a build's worker reads
    beside extracting, so that the main process links without reading the texts again."""
    texts = list(dict.fromkeys(texts))
    return list(zip(texts, normalise_many(texts), heads_many(texts), strict=True))


def known_readings(texts: Iterable[str]) -> list[Reading]:
    """The readings this process holds of `texts` (the others are left out)."""
    return [(t, _cache[t], _heads[t]) for t in dict.fromkeys(texts) if t in _cache and t in _heads]


def remember(readings: Iterable[Sequence[str]]) -> None:
    """Take readings made elsewhere (a worker, the store) as this process's own. Only
    readings made by the same normaliser may be given (see `normaliser`): normalising is pure,
    so they are what this process would have made."""
    for text, words, head in readings:
        _cache[text] = words
        _heads[text] = head


def forget() -> None:
    """Drop the readings of texts (not of words): a worker that has handed its readings back
    keeps no more of them, so its memory does not grow with the collection."""
    _cache.clear()
    _heads.clear()


@lru_cache(maxsize=1)
def normaliser() -> str:
    """What a reading depends on, as a short fingerprint: this module's code, the field's
    vocabulary, the quotes folded, and the versions of spaCy and its lemma tables. A reading stored or made under
    another fingerprint is not used (it is made again)."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(vocabulary().source)
    digest.update(repr(sorted(QUOTES.items())).encode())
    for package in ("spacy", "spacy-lookups-data"):
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    return digest.hexdigest()[:16]


# Normalising is pure, so its results are kept for the life of the process (a build links
# the same texts again on every run).
_cache: dict[str, str] = {}
_heads: dict[str, str] = {}
_words: dict[str, str | None] = {}
