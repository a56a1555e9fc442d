"""Which of a later item's candidate repeats are asserted, which are put to a person, and how
well that list holds the repeats a careful reader draws.

For each item of a later inspection the linker scores the asks of every earlier inspection of
its authority (a repeat may skip an inspection). The pairs the model is sure of (probability
at least the model's `threshold`) are asserted as links; of the rest, the `keep` most probable
(at least `suggest`) are kept as suggestions for a person to settle. `keep` and the threshold
are chosen by measurement (`choose`): leave one authority out on the labelled authorities,
the share of the hand-drawn repeats the links and suggestions hold, against the decisions
they ask of a person, and the precision of the asserted links.

    python -m link.candidates        # the figures on the training and held-out sets
    python -m link.candidates --loao # the training authorities only: tune on these
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from extract.records import Recommendation
from extract.tunables import check_counts, check_shares

from .gold import best_candidates, gold_recs, load_gold, training_golds
from .learn import Weights, fit, sigmoid
from .model import SUGGESTED, Link
from .recurrence import CANDIDATE_AGREEMENT, Candidate, Repeats, Unit
from .score import Encoder

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """How candidate lists are made and chosen (README: "Candidates")."""

    # Every pair is ranked, however little the texts agree: a tenth of the hand-drawn repeats
    # agree less than the linker's CANDIDATE_AGREEMENT (a broad later item read through the
    # later report's findings) and would otherwise never be shown to anyone.
    ranked_agreement: float = 0.0
    # The asserted links must be right this often on authorities the model did not learn
    # from: a wrong recurrence tells a council its work failed, with nobody having looked ...
    asserted_precision: float = 0.9
    # ... judged only at bars that assert at least this many links on the labelled authorities.
    min_asserted: int = 30
    # Issue 21's goals: links and suggestions together hold this share of the hand-drawn
    # repeats, at no more than this many suggestions per later item on average.
    recall_goal: float = 0.95
    decisions_goal: float = 3.0
    # A progress statement's candidates kept for a person below the status model's threshold:
    # its 7 hand-drawn links are too few to choose the number by.
    status_keep: int = 2

    def __post_init__(self) -> None:
        check_shares(self, ("ranked_agreement", "asserted_precision", "recall_goal"), zero_allowed=True)
        check_counts(self, ("min_asserted",))
        check_counts(self, ("decisions_goal", "status_keep"), least=0)


SETTINGS = Settings()
RANKED_AGREEMENT = SETTINGS.ranked_agreement
# The candidate lists measured when choosing how many to keep (and the probability a
# suggestion needs), and printed by the benchmark.
KEEPS = (0, 1, 2, 3, 4, 5)
FLOORS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25)
HOLDOUT = tuple(
    sorted((Path(__file__).resolve().parents[1] / "tests" / "data").glob("recurrence_holdout_*.json"))
)


def keep_candidates(
    ranked: Iterable[tuple[float, T]], threshold: float, suggest: float, keep: int
) -> tuple[list[tuple[float, T]], list[tuple[float, T]]]:
    """One later item's candidates split into (asserted, suggested): every one at or above
    `threshold` is asserted; of the rest, the `keep` most probable at or above `suggest`
    are suggestions. Ties keep their order."""
    ordered = sorted(ranked, key=lambda c: -c[0])
    asserted = [c for c in ordered if c[0] >= threshold]
    rest = [c for c in ordered if suggest <= c[0] < threshold]
    return asserted, rest[:keep]


def best_pairs(
    encoder: Encoder,
    model: Weights,
    later: list[Recommendation],
    earlier: list[Recommendation],
    by_sentence: bool = False,
    floor: float = RANKED_AGREEMENT,
) -> list[tuple[int, int, float, Candidate, Unit]]:
    """Each (later, earlier) pair whose texts agree at least `floor`, scored by `model` at its
    most probable unit (a bullet, or a sentence `by_sentence`), in order."""
    repeats = Repeats(encoder, later, earlier, by_sentence)
    candidates = repeats.candidates(floor)
    if not candidates:
        return []
    best: dict[tuple[int, int], tuple[float, Candidate]] = {}
    chances = model.probability(np.array([c.x for c in candidates]))
    for candidate, chance in zip(candidates, chances, strict=True):
        key = (candidate.later, candidate.earlier)
        if key not in best or chance > best[key][0]:
            best[key] = (float(chance), candidate)
    return [(i, j, chance, c, repeats.found[c.unit]) for (i, j), (chance, c) in sorted(best.items())]


def split_ranked(
    ranked: dict[int, list[tuple[float, Link]]], model: Weights, item: str
) -> tuple[list[Link], list[Link]]:
    """(links, suggestions) of each item's candidates: those at or above the model's threshold
    are links; the model's `keep` best of the rest at or above its `suggest` bar are
    suggestions for a person (method `suggested`), numbered in the item's list."""
    links: list[Link] = []
    suggestions: list[Link] = []
    for found in ranked.values():
        sure, kept = keep_candidates(found, model.threshold, model.suggest, model.keep)
        links.extend(link for _, link in sure)
        listed = len(sure) + len(kept)
        for n, (_, link) in enumerate(kept, len(sure) + 1):
            evidence = f"{link.evidence}; candidate {n} of {listed} for the {item}"
            suggestions.append(replace(link, method=SUGGESTED, evidence=evidence))
    return links, suggestions


@dataclass(frozen=True)
class Scored:
    """A later item and an ask of an earlier inspection of its authority, with its features.
    `judged`: the two inspections were read in full as a pair (consecutive ones), so the pair
    is labelled; a pair across a skipped inspection is a candidate nobody labelled."""

    authority: str
    later: tuple[str, str]  # (file, ref)
    earlier: tuple[str, str]
    x: np.ndarray
    accepted: bool
    judged: bool


@dataclass
class Lists:
    """Every scored pair of some labelled authorities, with their later items and gold links."""

    pairs: list[Scored]
    later_items: dict[str, set[tuple[str, str]]]  # authority -> its later items
    gold: dict[str, set[tuple[tuple[str, str], tuple[str, str]]]]  # authority -> (later, earlier)

    @property
    def authorities(self) -> list[str]:
        return sorted(self.later_items)

    @property
    def x(self) -> np.ndarray:
        return np.array([p.x for p in self.pairs])


def earlier_files(pairs: Sequence[Mapping[str, object]]) -> dict[str, set[str]]:
    """Each later file's earlier files: the read pairs, followed back (a repeat may skip one)."""
    before: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        before[str(pair["later_file"])].add(str(pair["earlier_file"]))
    changed = True
    while changed:
        changed = False
        for earlier in before.values():
            more = set().union(*(before.get(e, set()) for e in earlier)) - earlier
            if more:
                earlier |= more
                changed = True
    return before


def lists(golds: Sequence[dict[str, object]], floor: float = RANKED_AGREEMENT) -> Lists:
    """Every later item against every ask of every earlier inspection of its authority."""
    items: dict[str, list[Recommendation]] = {}
    for gold in golds:
        for file, listed in gold["items"].items():  # type: ignore[attr-defined]
            items[file] = gold_recs(file, listed)
    encoder = Encoder([r.text for recs in items.values() for r in recs])
    found = Lists([], defaultdict(set), defaultdict(set))
    for gold in golds:
        read = {(str(p["earlier_file"]), str(p["later_file"])) for p in gold["pairs"]}  # type: ignore[attr-defined]
        authority_of = {str(p["later_file"]): str(p["authority"]).lower() for p in gold["pairs"]}  # type: ignore[attr-defined]
        for g in gold["links"]:  # type: ignore[attr-defined]
            ends = (
                (str(g["later_file"]), str(g["later_ref"])),
                (str(g["earlier_file"]), str(g["earlier_ref"])),
            )
            found.gold[str(g["authority"]).lower()].add(ends)
        for later_file, earlier in earlier_files(gold["pairs"]).items():  # type: ignore[arg-type]
            authority = authority_of[later_file]
            later = items[later_file]
            found.later_items[authority].update((later_file, ref_of(r)) for r in later)
            for earlier_file in sorted(earlier):
                asks = items[earlier_file]
                for (i, j), x in best_candidates(encoder, later, asks, floor).items():
                    ends = ((later_file, ref_of(later[i])), (earlier_file, ref_of(asks[j])))
                    judged = (earlier_file, later_file) in read
                    found.pairs.append(
                        Scored(authority, ends[0], ends[1], x, ends in found.gold[authority], judged)
                    )
    return found


def ref_of(rec: Recommendation) -> str:
    return rec.id.split("|", 1)[1]


def leave_one_authority_out(found: Lists) -> np.ndarray:
    """Each pair's probability from a model fitted as the shipped one is (link/train.py: the
    judged pairs whose texts agree at least CANDIDATE_AGREEMENT) on the other authorities."""
    x = found.x
    y = np.array([p.accepted for p in found.pairs], dtype=np.float64)
    learned = np.array([p.judged for p in found.pairs]) & (x[:, 0] >= CANDIDATE_AGREEMENT)
    groups = np.array([p.authority for p in found.pairs])
    chances = np.zeros(len(found.pairs))
    for authority in found.authorities:
        held = groups == authority
        learn = ~held & learned
        coef, intercept = fit(x[learn], y[learn])
        chances[held] = sigmoid(x[held] @ coef + intercept)
    return chances


@dataclass(frozen=True)
class Figures:
    """What a candidate list gives: the share of the hand-drawn repeats it holds (asserted
    or suggested), the suggestions per later item (the decisions asked of a person), and the
    precision of the asserted links on labelled pairs."""

    recall: float
    asserted_recall: float
    decisions: float
    asserted: int
    asserted_right: int
    repeats: int
    later_items: int

    @property
    def precision(self) -> float:
        return self.asserted_right / self.asserted if self.asserted else 1.0


def measure(
    found: Lists, chances: np.ndarray, threshold: float, suggest: float, keep: int, only: str | None = None
) -> Figures:
    by_item: dict[tuple[str, str], list[tuple[float, Scored]]] = defaultdict(list)
    for pair, chance in zip(found.pairs, chances, strict=True):
        if only is None or pair.authority == only:
            by_item[pair.later].append((float(chance), pair))
    held: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    sure: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    suggested = asserted = right = 0
    for ranked in by_item.values():
        links, suggestions = keep_candidates(ranked, threshold, suggest, keep)
        suggested += len(suggestions)
        for _, p in links:
            sure.add((p.later, p.earlier))
            if p.judged:
                asserted += 1
                right += p.accepted
        held |= {(p.later, p.earlier) for _, p in [*links, *suggestions]}
    authorities = [only] if only else found.authorities
    gold = set().union(*(found.gold[a] for a in authorities))
    items = sum(len(found.later_items[a]) for a in authorities)
    return Figures(
        len(gold & held) / len(gold) if gold else 1.0,
        len(gold & sure) / len(gold) if gold else 1.0,
        suggested / items if items else 0.0,
        asserted,
        right,
        len(gold),
        items,
    )


def asserting_threshold(
    found: Lists, chances: np.ndarray, precision: float = SETTINGS.asserted_precision
) -> float:
    """The lowest probability (in steps of 0.05) from which the asserted links, measured
    leave-one-authority-out, are right at least `precision` of the time, there and at every
    higher bar that still asserts `min_asserted` links (so that the figure is not a lucky dip,
    nor decided by a handful of links)."""
    bars = [float(b) for b in np.round(np.arange(0.5, 1.0, 0.05), 2)]
    figures = [measure(found, chances, b, 1.0, 0) for b in bars]
    ok = [f.precision >= precision or f.asserted < SETTINGS.min_asserted for f in figures]
    for n, bar in enumerate(bars):
        if figures[n].asserted >= SETTINGS.min_asserted and all(ok[n:]):
            return bar
    return 1.0


def choose_keep(found: Lists, chances: np.ndarray, threshold: float) -> tuple[int, float]:
    """(keep, suggest): of the lists that ask at most `decisions_goal` suggestions a later item,
    leave one authority out, the one that holds the most hand-drawn repeats (the fewest
    decisions on a tie)."""
    best: tuple[float, float, int, float] = (-1.0, 0.0, KEEPS[0], FLOORS[-1])
    for keep in KEEPS:
        for floor in FLOORS:
            f = measure(found, chances, threshold, floor, keep)
            if f.decisions <= SETTINGS.decisions_goal and (f.recall, -f.decisions) > (best[0], best[1]):
                best = (f.recall, -f.decisions, keep, floor)
    return best[2], best[3]


def choose(golds: Sequence[dict[str, object]]) -> tuple[float, float, int]:
    """(threshold, suggest, keep) for the recurrence model, measured leave one authority out
    on the labelled authorities `golds`."""
    found = lists(golds)
    chances = leave_one_authority_out(found)
    threshold = asserting_threshold(found, chances)
    keep, suggest = choose_keep(found, chances, threshold)
    return threshold, suggest, keep


def report(name: str, found: Lists, chances: np.ndarray, threshold: float, suggest: float, keep: int) -> None:
    """Per number of suggestions kept for a later item: the share of the hand-drawn repeats
    the links and suggestions hold, the suggestions per later item, and the asserted links'
    precision (on the labelled pairs) and recall. The chosen `keep` is marked."""
    print(f"\n{name}: asserted at probability >= {threshold}; suggestions at >= {suggest}")
    print(
        f"  {'kept':>6}  {'recall':>6}  {'decisions a later item':>22}  asserted precision  asserted recall"
    )
    for kept in sorted({*KEEPS, keep}):
        f = measure(found, chances, threshold, suggest, kept)
        print(
            f"  {kept:>4}{' *' if kept == keep else '  '}  {f.recall:6.2f}  {f.decisions:22.2f}  {f.precision:8.2f} "
            f"({f.asserted_right}/{f.asserted})  {f.asserted_recall:6.2f}"
        )
    items = sum(len(v) for v in found.later_items.values())
    repeats = sum(len(v) for v in found.gold.values())
    print(f"  ({len(found.authorities)} authorities, {items} later items, {repeats} hand-drawn repeats)")


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    from .learn import stored_models

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--loao",
        action="store_true",
        help="only leave one authority out on the training authorities: the figures to tune on, "
        "the held-out sets unread (e.g. python -m link.candidates --loao)",
    )
    args = parser.parse_args(argv)
    w = stored_models()["recurs_in"]
    found = lists(training_golds())
    report("leave-one-authority-out", found, leave_one_authority_out(found), w.threshold, w.suggest, w.keep)
    if args.loao:
        return
    golds = [load_gold(path) for path in HOLDOUT]
    for path, gold in zip(HOLDOUT, golds, strict=True):
        held = lists([gold])
        report(
            f"{path.name}, never learned from", held, w.probability(held.x), w.threshold, w.suggest, w.keep
        )
    held = lists(golds)
    report("every held-out set together", held, w.probability(held.x), w.threshold, w.suggest, w.keep)


if __name__ == "__main__":
    main()
