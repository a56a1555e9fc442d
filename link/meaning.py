"""Word meanings learned from the inspectors' own prose, so that paraphrases meet.

"Children at risk of exploitation" and "the response to CSE" share no word, yet inspection
reports speak of both in the same paragraphs, among the same neighbours (missing, return
interviews, hotspots). Counting which words share paragraphs across a few hundred reports,
weighting the counts by pointwise mutual information and keeping the main axes of that matrix
(latent semantic analysis, by a randomized SVD in numpy) gives each word a short vector; a
text's vector is the mean of its words', weighted by how rare each word is. Two texts about
the same subject in other words then point the same way.

The vectors are data (`link/data/meanings.npz`, a few MB), learned once from the reports
beside the project and shipped; rebuild them with

    python -m link.meaning [FOLDER ...]      # default: ../shared/corpus/{ofsted,ofsted-more,letters}

Words are read as the linker reads them (link/text.py: lemmas, the field's terms folded), so
a new vocabulary term needs a rebuild.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

# Tunables.
# A paragraph this short (in printed words) is a heading or furniture, not prose.
MIN_PARAGRAPH_WORDS = 8
# Words found in fewer paragraphs than this have no reliable neighbours.
MIN_PARAGRAPHS = 5
# The most frequent words kept (the rest are too rare to learn from a few hundred reports).
MOST_WORDS = 6000
# Axes kept: enough to hold the field's subjects apart, few enough to merge paraphrases.
DIMENSIONS = 128

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = tuple(
    ROOT.parent / "shared" / "corpus" / name for name in ("ofsted", "ofsted-more", "letters")
)
MEANINGS_FILE = "data/meanings.npz"
# The random projection of the SVD is seeded: the same reports give the same vectors.
_SEED = 0
_OVERSAMPLE = 20
_POWER_ITERATIONS = 2


@dataclass(frozen=True)
class Meanings:
    words: dict[str, int]
    vectors: np.ndarray  # one unit row per word
    idf: np.ndarray  # log(paragraphs / paragraphs with the word)

    def of(self, texts: Sequence[Iterable[str]]) -> np.ndarray:
        """One unit vector per text (given as its normalised words); zeros for a text with no
        known word."""
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, words in enumerate(texts):
            # in a fixed order: a sum in float32 in the order of a set of strings differs from
            # run to run in its last bits, and so would ties between a text's closest matches
            known = sorted({self.words[w] for w in words if w in self.words})
            if known:
                v = self.idf[known] @ self.vectors[known]
                out[row] = v / max(float(np.linalg.norm(v)), 1e-9)
        return out

    def agreement(self, a: Sequence[Iterable[str]], b: Sequence[Iterable[str]]) -> np.ndarray:
        """Cosine of every text of `a` with every text of `b` (0 where one has no known word)."""
        if not a or not b:
            return np.zeros((len(a), len(b)), dtype=np.float32)
        return np.clip(self.of(a) @ self.of(b).T, 0.0, 1.0)


@lru_cache(maxsize=1)
def meanings() -> Meanings:
    with resources.files("link").joinpath(MEANINGS_FILE).open("rb") as f, np.load(f) as data:
        words = [str(w) for w in data["words"]]
        return Meanings(
            {w: i for i, w in enumerate(words)},
            data["vectors"].astype(np.float32),
            data["idf"].astype(np.float32),
        )


def paragraphs_of(path: str) -> list[str]:
    """The prose paragraphs of one document: lines no blank space parts."""
    from extract.blocks import space_between
    from extract.errors import EvidenceError
    from extract.load import load

    try:
        lines = load(path).lines
    except EvidenceError:
        return []
    out: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if i and space_between(lines[i - 1], line) and current:
            out.append(" ".join(current))
            current = []
        current.append(line.text.strip())
    if current:
        out.append(" ".join(current))
    return [p for p in out if len(p.split()) >= MIN_PARAGRAPH_WORDS]


def learn(paths: Sequence[str], workers: int = 2) -> Meanings:
    """Word vectors from the paragraphs of the documents at `paths`."""
    from .text import normalise_many

    with ProcessPoolExecutor(workers) as pool:
        paragraphs = [p for ps in pool.map(paragraphs_of, sorted(paths), chunksize=8) for p in ps]
    words_of = [set(text.split()) for text in normalise_many(paragraphs)]
    counts = Counter(w for words in words_of for w in words)
    kept = sorted((w for w, c in counts.items() if c >= MIN_PARAGRAPHS), key=lambda w: (-counts[w], w))[
        :MOST_WORDS
    ]
    index = {w: i for i, w in enumerate(kept)}
    n = len(kept)
    together = np.zeros((n, n), dtype=np.float32)
    chunk = 2000
    for start in range(0, len(words_of), chunk):
        present = np.zeros((len(words_of[start : start + chunk]), n), dtype=np.float32)
        for row, words in enumerate(words_of[start : start + chunk]):
            present[row, [index[w] for w in words if w in index]] = 1
        together += present.T @ present
    np.fill_diagonal(together, 0)
    total, each = together.sum(), together.sum(axis=1)
    with np.errstate(divide="ignore"):
        pmi = np.log(together * total) - np.log(np.outer(each, each) + 1e-9)
    positive = np.maximum(np.nan_to_num(pmi, neginf=0.0), 0).astype(np.float32)
    vectors = top_axes(positive, min(DIMENSIONS, n))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    idf = np.log(len(words_of) / np.array([counts[w] for w in kept], dtype=np.float32))
    return Meanings(index, vectors.astype(np.float32), idf.astype(np.float32))


def top_axes(matrix: np.ndarray, k: int) -> np.ndarray:
    """The rows of a symmetric matrix on its k main axes, scaled by the root of their weight
    (a randomized SVD: Halko, Martinsson and Tropp 2011)."""
    rng = np.random.default_rng(_SEED)
    probe = rng.standard_normal((matrix.shape[1], k + _OVERSAMPLE)).astype(np.float32)
    basis = np.linalg.qr(matrix @ probe)[0]
    for _ in range(_POWER_ITERATIONS):
        basis = np.linalg.qr(matrix @ (matrix.T @ basis))[0]
    u, s, _ = np.linalg.svd(basis.T @ matrix, full_matrices=False)
    return (basis @ u)[:, :k] * np.sqrt(s[:k])


def save(found: Meanings, path: Path) -> None:
    words = np.array(sorted(found.words, key=found.words.__getitem__))
    np.savez_compressed(path, words=words, vectors=found.vectors.astype(np.float16), idf=found.idf)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--out", type=Path, default=ROOT / "link" / MEANINGS_FILE)
    args = parser.parse_args(argv)
    paths = [str(p) for folder in args.folders for p in sorted(folder.glob("*.pdf"))]
    if not paths:
        raise SystemExit(
            f"no PDF in {', '.join(map(str, args.folders))}: give the folders of reports to learn from"
        )
    found = learn(paths)
    save(found, args.out)
    print(
        f"{len(found.words)} words, {found.vectors.shape[1]} dimensions, from {len(paths)} documents -> {args.out}"
    )


if __name__ == "__main__":
    main()
