"""Would a later item's candidate repeats be better ordered by how they stand among each
other? (issue 21: links and suggestions should hold 0.95 of the hand-drawn repeats at no more
than 3 suggestions a later item.) Prints the share of the repeats held at 1 to 5 suggestions
per later item, leave one authority out on the training authorities only: the held-out sets
(tests/data/recurrence_holdout_*) are never read, so this is safe to tune on.

    .venv/bin/python benchmarks/candidate_ranking.py

Rankers: the shipped model's probability (fitted on the other authorities, as
link.candidates measures it), and second stages fitted the same way (a logistic model on the
judged pairs of the other authorities) over that log-odds and where the pair stands: its
margin below and rank under the later item's best candidate; the earlier ask's margin and the
later item's rank among that ask's candidates (a mutual best match), how many later items the
ask is the best candidate of, whether it is asserted to another later item (repeats are mostly
one to one); and whether the earlier inspection is not the one just before (learned from the
seeds' reports, the only labelled pairs that skip one). Links are asserted at the shipped
threshold on the shipped model's probability in every row; a budget is spent either as the
best few of each later item ("each item") or on the most probable pairs of all items ("one
bar"), which is what a `suggest` floor with no cap does.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from link import candidates  # noqa: E402
from link.gold import DEFAULT_GOLD, training_golds  # noqa: E402
from link.learn import fit, sigmoid, stored_models  # noqa: E402

BUDGETS = (1, 2, 3, 4, 5)


def log_odds(chances: np.ndarray) -> np.ndarray:
    p = np.clip(chances, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def standing(keys: Sequence[object], z: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(margin below the best of its group, log rank in it, each group's best) for groups by key."""
    groups: dict[object, list[int]] = defaultdict(list)
    for n, key in enumerate(keys):
        groups[key].append(n)
    margin, rank, best = np.zeros(len(z)), np.zeros(len(z)), []
    for members in groups.values():
        ordered = sorted(members, key=lambda n: -z[n])
        best.append(ordered[0])
        for r, n in enumerate(ordered):
            margin[n], rank[n] = z[n] - z[ordered[0]], np.log1p(r)
    return margin, rank, best


def standing_features(found: candidates.Lists, chances: np.ndarray, threshold: float) -> np.ndarray:
    """Each pair's log-odds, its margin and rank in its later item's list, the margin and the
    later item's rank in its earlier ask's list, how many later items the ask is best for, and
    whether the ask is asserted to another later item."""
    z = log_odds(chances)
    items = [p.later for p in found.pairs]
    asks = [(p.earlier, p.later[0]) for p in found.pairs]  # an earlier ask, against one later report
    item_margin, item_rank, best = standing(items, z)
    ask_margin, ask_rank, _ = standing(asks, z)
    best_of = defaultdict(int, {k: 0 for k in asks})
    for n in best:
        best_of[asks[n]] += 1
    asserted = defaultdict(int)
    for key, chance in zip(asks, chances, strict=True):
        asserted[key] += int(chance >= threshold)
    mine = chances >= threshold
    elsewhere = np.array([asserted[k] - m > 0 for k, m in zip(asks, mine, strict=True)], dtype=float)
    ask_best = np.log1p([best_of[k] for k in asks])
    return np.column_stack([z, item_margin, item_rank, ask_margin, ask_rank, ask_best, elsewhere])


def skipped(found: candidates.Lists, golds: Sequence[dict[str, object]]) -> np.ndarray:
    """1 when an inspection of the authority lies between the pair's two."""
    before: dict[str, set[str]] = {}
    for gold in golds:
        before.update(candidates.earlier_files(gold["pairs"]))  # type: ignore[arg-type]
    between = [
        any(p.earlier[0] in before.get(f, set()) for f in before.get(p.later[0], set())) for p in found.pairs
    ]
    return np.array(between, dtype=float)


def second_stage(found: candidates.Lists, x: np.ndarray) -> np.ndarray:
    """Each pair's probability from a logistic model on `x` fitted on the judged pairs of the
    other authorities."""
    y = np.array([p.accepted for p in found.pairs], dtype=np.float64)
    judged = np.array([p.judged for p in found.pairs])
    groups = np.array([p.authority for p in found.pairs])
    out = np.zeros(len(y))
    for authority in found.authorities:
        held = groups == authority
        coef, intercept = fit(x[~held & judged], y[~held & judged])
        out[held] = sigmoid(x[held] @ coef + intercept)
    return out


def recall_at(found: candidates.Lists, sure: np.ndarray, score: np.ndarray, budget: int, each: bool) -> float:
    """The share of the hand-drawn repeats held by the asserted pairs `sure` and `budget`
    suggestions a later item on average, the best of each item or above one bar."""
    accepted = np.array([p.accepted for p in found.pairs])
    rest = np.flatnonzero(~sure)
    items = sum(len(v) for v in found.later_items.values())
    if each:
        by_item: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n in rest:
            by_item[found.pairs[n].later].append(int(n))
        kept = [n for ns in by_item.values() for n in sorted(ns, key=lambda n: -score[n])[:budget]]
    else:
        kept = list(rest[np.argsort(-score[rest], kind="stable")][: budget * items])
    repeats = sum(len(v) for v in found.gold.values())
    return float(accepted[sure].sum() + accepted[kept].sum()) / repeats


def main() -> None:
    if not DEFAULT_GOLD.exists():
        print(f"{DEFAULT_GOLD} is not here: nothing to measure")
        return
    golds = training_golds()
    found = candidates.lists(golds)
    chances = candidates.leave_one_authority_out(found)
    threshold = stored_models()["recurs_in"].threshold
    x = np.column_stack([standing_features(found, chances, threshold), skipped(found, golds)])
    rankers = {
        "the model's probability": chances,
        "+ standing in the item": second_stage(found, x[:, :3]),
        "+ standing for the ask": second_stage(found, x[:, [0, 3, 4, 5, 6]]),
        "+ all standing": second_stage(found, x[:, :7]),
        "+ skips an inspection": second_stage(found, x[:, [0, 7]]),
        "+ all standing, skips": second_stage(found, x),
    }
    sure = chances >= threshold
    print(
        f"leave one authority out, {len(found.authorities)} training authorities; asserted at >= {threshold}"
    )
    print(f"recall at {'/'.join(map(str, BUDGETS))} suggestions a later item:")
    print(f"  {'ranker':<26} {'each item':<32} one bar")
    for name, score in rankers.items():
        cells = [
            " ".join(f"{recall_at(found, sure, score, b, each):.3f}" for b in BUDGETS)
            for each in (True, False)
        ]
        print(f"  {name:<26} {cells[0]:<32} {cells[1]}")


if __name__ == "__main__":
    main()
