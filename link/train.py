"""Learn the recurrence model from hand-drawn recurrences, and measure it fairly.

    python -m link.train                         # ../shared/gold/recurrence_dev.json and
                                                 # tests/data/recurrence_labelled_*.json -> link/data/model.json
    python -m link.train GOLD.json [GOLD.json ...] --out link/data/model.json

A gold file has the shape of ../shared/gold/recurrence_dev.json: `items` (every
recommendation of every report, keyed by file), `pairs` (consecutive inspections of an
authority, every one read in full) and `links` (the recurrences a careful reader drew). Every
pair of a later item and an earlier recommendation of a listed pair is an example: a
recurrence when it is among `links`, else not (the recurs_in links of
tests/data/links_expected.json are added the same way). The threshold is chosen for
precision on leave-one-authority-out probabilities (the model never scores the authority it learned
from), so it says what to expect on authorities nobody labelled.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from extract.records import Recommendation
from extract.vocab import RECURS_IN, REPORTS_STATUS_OF

from .candidates import SETTINGS, choose
from .gold import (  # noqa: F401  (train.load_gold, training_golds ... are used by the benchmark and tests)
    DEFAULT_GOLD,
    LABELLED,
    SEED_LINKS,
    best_candidates,
    gold_recs,
    load_gold,
    seed_gold,
    training_golds,
)
from .learn import Weights, fit
from .recurrence import FEATURE_NAMES
from .score import Encoder

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "link" / "data" / "model.json"
# Tunables. The threshold is chosen for precision: a wrong recurrence tells a council that
# its work failed, a missed one leaves a suggestion to review; precision counts twice ...
PRECISION_WEIGHT = 2
# ... and a candidate this likely to be accepted, but below the threshold, is kept as a
# suggestion for review: one in four is worth a reader's minute.
SUGGEST = 0.25


@dataclass(frozen=True)
class Pair:
    """One later item and one earlier recommendation of consecutive inspections."""

    authority: str
    earlier: tuple[str, str]  # (file, ref)
    later: tuple[str, str]
    x: np.ndarray
    accepted: bool
    confidence: str | None  # the gold link's ("high"/"medium"), when it is one


@dataclass
class Examples:
    pairs: list[Pair]
    # gold links no candidate reached (their texts agree too little to be scored): misses
    unreached: dict[str, list[tuple[str, str, str, str]]]
    links: dict[str, int]  # gold links per authority

    @property
    def x(self) -> np.ndarray:
        return np.array([p.x for p in self.pairs]) if self.pairs else np.zeros((0, len(FEATURE_NAMES)))

    @property
    def y(self) -> np.ndarray:
        return np.array([p.accepted for p in self.pairs], dtype=np.float64)

    @property
    def authorities(self) -> list[str]:
        return sorted(self.links)


def examples(golds: Sequence[dict[str, object]]) -> Examples:
    """Every scored pair of every consecutive pair of inspections, labelled."""
    items: dict[str, list[Recommendation]] = {}
    for gold in golds:
        for file, listed in gold["items"].items():  # type: ignore[attr-defined]
            items[file] = gold_recs(file, listed)
    encoder = Encoder([r.text for recs in items.values() for r in recs])
    found = Examples([], {}, {})
    for gold in golds:
        accepted = {
            (g["earlier_file"], g["earlier_ref"], g["later_file"], g["later_ref"]): g.get(
                "confidence", "high"
            )
            for g in gold["links"]  # type: ignore[attr-defined]
        }
        for g in gold["links"]:  # type: ignore[attr-defined]
            authority = str(g["authority"]).lower()
            found.links[authority] = found.links.get(authority, 0) + 1
        for pair in gold["pairs"]:  # type: ignore[attr-defined]
            authority = str(pair["authority"]).lower()
            found.links.setdefault(authority, 0)
            earlier, later = items[pair["earlier_file"]], items[pair["later_file"]]
            seen = set()
            for (i, j), x in best_candidates(encoder, later, earlier).items():
                a, b = earlier[j], later[i]
                ends = (a.document_id, a.id.split("|")[1], b.document_id, b.id.split("|")[1])
                seen.add(ends)
                found.pairs.append(
                    Pair(authority, ends[:2], ends[2:], x, ends in accepted, accepted.get(ends))
                )
            for ends in accepted:
                if ends[0] == pair["earlier_file"] and ends[2] == pair["later_file"] and ends not in seen:
                    found.unreached.setdefault(authority, []).append(ends)
    return found


def leave_one_authority_out(found: Examples) -> np.ndarray:
    """Each pair's probability from a model fitted on the other authorities only."""
    x, y = found.x, found.y
    chances = np.zeros(len(y))
    groups = np.array([p.authority for p in found.pairs])
    for authority in found.authorities:
        held = groups == authority
        if not held.any():
            continue
        coef, intercept = fit(x[~held], y[~held])
        chances[held] = 1 / (1 + np.exp(-(x[held] @ coef + intercept)))
    return chances


def precision_recall(chosen: np.ndarray, found: Examples, only_high: bool = False) -> tuple[float, float]:
    """Of the pairs chosen, how many are gold links; of the gold links, how many are chosen
    (links no candidate reached count as missed). `only_high`: medium-confidence gold links
    count neither way (a predicted one is not an error, a missed one not a miss)."""
    y = found.y.astype(bool)
    medium = np.array([p.confidence == "medium" for p in found.pairs], dtype=bool)
    keep = ~medium if only_high else np.ones(len(y), dtype=bool)
    right = int((chosen & y & keep).sum())
    produced = int((chosen & keep).sum())
    unreached = sum(len(v) for v in found.unreached.values())
    total = int((y & keep).sum()) + unreached
    return (right / produced if produced else 1.0), (right / total if total else 1.0)


def per_authority(
    chances: np.ndarray, found: Examples, bar: float
) -> dict[str, tuple[float, float, float, float]]:
    """{authority: (precision, recall, precision and recall counting high-confidence links only)}."""
    out = {}
    groups = np.array([p.authority for p in found.pairs])
    for authority in found.authorities:
        held = groups == authority
        one = Examples(
            [p for p, h in zip(found.pairs, held, strict=True) if h],
            {authority: found.unreached.get(authority, [])},
            {authority: found.links[authority]},
        )
        chosen = chances[held] >= bar
        out[authority] = (*precision_recall(chosen, one), *precision_recall(chosen, one, only_high=True))
    return out


Ends = tuple[str, str, str, str]  # (earlier file, its ref, later file, its ref)


def readers_agreement(first: Sequence[dict[str, object]], second: dict[str, object]) -> tuple[float, float]:
    """(precision, recall) of a second reader's links against the first's, on the pairs of
    inspections both read: how far two careful readers agree, the ceiling a linker's figures
    against either are read under."""

    def links(gold: dict[str, object], pairs: set[tuple[str, str]]) -> set[Ends]:
        return {
            (str(g["earlier_file"]), str(g["earlier_ref"]), str(g["later_file"]), str(g["later_ref"]))
            for g in gold["links"]  # type: ignore[attr-defined]
            if (g["earlier_file"], g["later_file"]) in pairs
        }

    def pairs_of(gold: dict[str, object]) -> set[tuple[str, str]]:
        return {(str(p["earlier_file"]), str(p["later_file"])) for p in gold["pairs"]}  # type: ignore[attr-defined]

    both = set.union(*(pairs_of(g) for g in first)) & pairs_of(second)
    theirs = links(second, both)
    ours = set.union(*(links(g, both) for g in first))
    right = len(theirs & ours)
    return (right / len(theirs) if theirs else 1.0), (right / len(ours) if ours else 1.0)


def reliability(
    chances: np.ndarray, accepted: np.ndarray, bins: int = 5
) -> list[tuple[float, float, int, float]]:
    """Rows (from, to, pairs, share a reader accepted): a calibrated score's share matches its range."""
    rows = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (chances >= lo) & ((chances < hi) | (hi == 1.0))
        n = int(inside.sum())
        rows.append((float(lo), float(hi), n, float(accepted[inside].mean()) if n else float("nan")))
    return rows


def choose_threshold(chances: np.ndarray, found: Examples) -> float:
    """The probability above which the links kept, measured leave-one-authority-out, best
    balance precision, counted PRECISION_WEIGHT times, against recall (F-beta)."""
    beta2 = 1 / PRECISION_WEIGHT**2
    best, best_f = 0.5, -1.0
    for bar in np.unique(np.round(chances, 2)):
        precision, recall = precision_recall(chances >= bar, found)
        f = (1 + beta2) * precision * recall / (beta2 * precision + recall) if precision + recall else 0.0
        if f > best_f:
            best, best_f = float(bar), f
    return best


# A progress report's statements are scored by the same kind of model without these features,
# learned from the recurrences of ../shared/gold/recurrence_dev.json and the seeds only: its 7
# hand-drawn status links (tests/data/links_expected.json) were checked against that model,
# and neither meaning in common nor the later labelled recurrences carry over to progress prose
# ("children are seen regularly" lands on the wrong recommendation: 0.56 precision, 0.71
# recall against 0.67 and 0.86). Status links need labelled status links of their own.
NOT_FOR_STATUS = tuple(name for name in FEATURE_NAMES if "meaning" in name)
STATUS_GOLD = (DEFAULT_GOLD,)


def train(
    paths: Sequence[Path], seeds: bool = True, relation: str = RECURS_IN, without: Sequence[str] = ()
) -> Weights:
    """The model of `relation`, learned from the gold files (and the seeds' recurrences); the
    features `without` are left out (their weights are 0)."""
    golds = [load_gold(p) for p in paths] + ([seed_gold()] if seeds else [])
    found = examples(golds)
    used = np.array([name not in without for name in FEATURE_NAMES])
    found.pairs = [replace(p, x=np.where(used, p.x, 0.0)) for p in found.pairs]
    # a feature left out is 0 in every pair, so the penalty keeps its weight at 0
    coef, intercept = fit(found.x, found.y)
    trained_on = ", ".join([p.name for p in paths] + (["recurs_in of " + SEED_LINKS.name] if seeds else []))
    if relation == "recurs_in":
        # asserted links kept precise, suggestions ranked for each later item (link/candidates.py)
        threshold, suggest, keep = choose(golds)
        return Weights(relation, FEATURE_NAMES, coef, intercept, threshold, suggest, trained_on, keep)
    threshold = choose_threshold(leave_one_authority_out(found), found)
    suggest = min(SUGGEST, threshold)
    return Weights(
        relation, FEATURE_NAMES, coef, intercept, threshold, suggest, trained_on, SETTINGS.status_keep
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=[DEFAULT_GOLD, *LABELLED])
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    weights = train(args.gold)
    statuses = train(STATUS_GOLD, relation=REPORTS_STATUS_OF, without=NOT_FOR_STATUS)
    data = {
        "_comment": (
            "Learned by `python -m link.train` (link/train.py) from hand-drawn links; do not edit by hand. "
            "A link's probability is 1 / (1 + exp(-(intercept + sum coef * feature))); features are "
            "described in link/recurrence.py. threshold: stored as a link; suggest, keep: of the rest, "
            "the keep most probable at or above suggest are kept for review, for each later item."
        ),
        "models": {RECURS_IN: weights.to_json(), REPORTS_STATUS_OF: statuses.to_json()},
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, c in zip(weights.features, weights.coef, strict=True):
        print(f"{name:<16} {c:+.2f}")
    print(
        f"intercept {weights.intercept:+.2f}; threshold {weights.threshold}; "
        f"suggest {weights.suggest}; keep {weights.keep}"
    )


if __name__ == "__main__":
    main()
