"""How fast the linker links a region: prints items linked per second.

A synthetic region: AUTHORITIES councils, each with three inspections, a plan answering the
first (areas and actions), a progress report restating it, and a committee report restating
the second. Texts are put together from the phrases inspectors use, so the vocabulary,
spaCy and rapidfuzz do the work they do on real documents.

    .venv/bin/python benchmarks/link_speed.py            # 400 authorities, about 46,000 items
    .venv/bin/python benchmarks/link_speed.py --authorities 20
    .venv/bin/python benchmarks/link_speed.py --quality  # precision and recall per relation instead
    .venv/bin/python benchmarks/link_speed.py --quality --gold tests/data/recurrence_holdout_a.json

--quality measures the links against the hand-drawn ones of tests/data/links_expected.json:
on the hand-built rows, on a store built from the seeds and the Ofsted reports of ../shared,
and on the held-out reports whose links were drawn before the rules were tuned. Then the
recurrence model, leave-one-authority-out on what it learns from (../shared/gold/
recurrence_dev.json and the recurs_in links of tests/data/links_expected.json): precision
and recall per authority (also counting only the links a reader draws from the two texts
alone), and a reliability table (the share of pairs a reader accepted, per band of the
calibrated probability). --gold FILE measures the model as shipped on other hand-drawn
recurrences in the same shape, which it never learned from. Then the candidate lists a person
settles (link/candidates.py): per held-out set, the share of the hand-drawn repeats the links
and suggestions hold at 1, 3 and 5 suggestions per later item, and the decisions that asks.
Last, whether knowing the findings
paragraphs behind each later item (chosen by hand: tests/data/findings_support_dev.json) would
raise the model's average precision.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from link import train  # noqa: E402
from link.evaluate import measure, per_relation  # noqa: E402
from link.learn import stored_models  # noqa: E402
from link.linker import link_report  # noqa: E402

Row = dict[str, Any]

VERBS = [
    "Ensure that",
    "Improve",
    "Strengthen",
    "Develop",
    "Review",
    "Take action to improve",
    "Make sure that",
]
SUBJECTS = [
    "the quality of supervision",
    "management oversight of casework",
    "the timeliness of initial health assessments",
    "the quality of assessments",
    "the quality of plans for children in need",
    "pathway plans for care leavers",
    "the response to children who go missing",
    "return home interviews",
    "the work of independent reviewing officers",
    "child protection conferences",
    "the use of family group conferences",
    "private fostering arrangements",
    "placement sufficiency for children looked after",
    "the recording of children's views",
    "early help services",
    "the application of thresholds",
    "strategy discussions with partner agencies",
    "the response to child sexual exploitation",
    "education, employment and training for care leavers",
    "support for foster carers",
    "later-in-life letters",
    "performance information for senior leaders",
    "learning from complaints",
    "the neglect strategy",
    "accommodation for homeless 16- and 17-year-olds",
    "special guardianship support",
    "personal education plans",
    "the stability of the workforce",
    "caseloads of social workers",
    "the local authority designated officer service",
]
PURPOSES = [
    "so that children receive timely help",
    "to avoid drift and delay",
    "so that risks are understood",
    "to ensure consistent practice",
    "so that decisions are clearly recorded",
    "in line with statutory guidance",
    "so that the views of children inform plans",
    "to improve outcomes for children",
    "",
]
PLACES = [
    "across the partnership",
    "in the front door",
    "in the north locality",
    "in the south locality",
    "for disabled children",
    "in out-of-hours services",
    "for children placed out of area",
    "in court work",
    "for unaccompanied asylum-seeking children",
    "in the youth offending service",
    "in the MASH",
    "",
]
WHEN = ["January 2016", "March 2016", "June 2016", "September 2016", "December 2016", "TBC"]


def sentence(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    extra = rng.choice(SUBJECTS) if rng.random() < 0.3 else None
    text = f"{rng.choice(VERBS)} {subject}" + (f" and {extra}" if extra else "")
    purpose = f"{rng.choice(PLACES)} {rng.choice(PURPOSES)}".strip()
    return f"{text} {purpose} (paragraph {rng.randint(10, 150)})".strip() + "."


def region(authorities: int, seed: int = 7) -> tuple[list[Row], dict[str, list[Row]]]:
    rng = random.Random(seed)
    documents: list[Row] = []
    tables: dict[str, list[Row]] = {"recommendations": [], "actions": [], "area_links": [], "findings": []}

    def doc(ident: str, doc_type: str, authority: str, date: str) -> str:
        documents.append(
            {
                "id": ident,
                "doc_type": doc_type,
                "authority": authority,
                "date": date,
                "title": ident,
                "path": ident,
            }
        )
        return ident

    def rec(doc_id: str, n: int, text: str, kind: str, label: str | None, status: str | None = None) -> None:
        number = int(label) if label and label.isdigit() else None
        tables["recommendations"].append(
            {
                "id": f"{doc_id}-r{n}",
                "document_id": doc_id,
                "position": n,
                "text": text,
                "kind": kind,
                "label": label,
                "number": number,
                "status": status,
            }
        )

    for a in range(authorities):
        name = f"Council {a}"
        inspections = [
            doc(f"{a}-i{k}", "inspection_report", name, f"{2014 + 4 * k}-0{k + 3}-15") for k in range(3)
        ]
        texts = [[sentence(rng) for _ in range(rng.randint(6, 20))] for _ in inspections]
        for k, doc_id in enumerate(inspections):
            numbered = k == 0
            for n, text in enumerate(texts[k], 1):
                rec(doc_id, n, text, "recommendation", str(n) if numbered else None)
        plan = doc(f"{a}-plan", "improvement_plan", name, "2014-06-01")
        for n, text in enumerate(texts[0], 1):
            rec(plan, n, text.rstrip("."), "plan_area", str(n))
            for m in range(1, rng.randint(2, 6)):
                tables["actions"].append(
                    {
                        "id": f"{plan}-a{n}.{m}",
                        "document_id": plan,
                        "area_label": str(n),
                        "label": f"{n}.{m}",
                        "text": sentence(rng),
                        "target_date": "2016-01-01",
                        "target_date_text": rng.choice(WHEN),
                    }
                )
        report = doc(f"{a}-progress", "progress_report", name, "2016-07-01")
        for n, text in enumerate(texts[0], 1):
            rec(report, n, text, "restatement", str(n), rng.choice(["met", "monitoring", "outstanding"]))
        committee = doc(f"{a}-committee", "committee_report", name, "2018-06-01")
        for n, text in enumerate(texts[1], 1):
            rec(committee, n, text.rstrip("."), "restatement", None)
    return documents, tables


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OFSTED = ROOT.parent / "shared" / "corpus" / "ofsted"
TABLES = ("recommendations", "actions", "findings", "area_links")


def built(paths: list[Path]) -> tuple[list[Row], dict[str, list[Row]]]:
    from evidence.build import build
    from evidence.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "quality.db"
        build(paths, path)
        store = Store(path)
        rows = store.rows("documents"), {t: store.rows(t) for t in TABLES}
        store.close()
    return rows


def report_quality(name: str, rows: tuple[list[Row], dict[str, list[Row]]], expected: list[Row]) -> None:
    """Per relation, then per authority and relation (each authority's links judged on its own
    documents). For the relations with suggestions, also the recall of the links and
    suggestions together, and how many suggestions that takes."""
    documents, tables = rows
    report = link_report(documents, tables)
    links = report.links
    for relation, (precision, recall) in per_relation(links, expected, *rows).items():
        count = sum(e["relation"] == relation for e in expected)
        print(f"{name:<12} {relation:<17} precision {precision:.3f}  recall {recall:.3f}  ({count} expected)")
    groups = {
        "recurs_in": lambda e: (
            e["relation"] == "recurs_in" and "|peer_review_letter|" not in e["target"]["doc"]
        ),
        "recurs_in from a peer review": lambda e: "|peer_review_letter|" in e["target"]["doc"],
        "reports_status_of": lambda e: e["relation"] == "reports_status_of",
    }
    for label, wanted in groups.items():
        theirs = [e for e in expected if wanted(e)]
        if not theirs:
            continue
        relation = theirs[0]["relation"]
        suggested = [s for s in report.suggestions if s.relation == relation]
        held = measure([*links, *suggested], theirs, *rows)["recall"]
        print(
            f"{name:<12}   {label:<30} links and suggestions hold {held:.3f} of {len(theirs)} "
            f"({len(suggested)} {relation} suggestions in all)"
        )
    every = measure(links, expected, *rows)
    print(
        f"{name:<12} {'all relations':<17} precision {every['precision']:.3f}  recall {every['recall']:.3f}"
        f"  ({len(expected)} expected)"
    )
    for authority in sorted({e["target"]["doc"].split("|")[0] for e in expected}):
        theirs = [e for e in expected if e["target"]["doc"].startswith(authority + "|")]
        for relation, (precision, recall) in per_relation(links, theirs, *rows).items():
            count = sum(e["relation"] == relation for e in theirs)
            print(
                f"{name:<12}   {authority:<15} {relation:<17} precision {precision:.3f}  recall {recall:.3f}"
                f"  ({count} expected)"
            )


def quality() -> None:
    expected = json.loads((DATA / "links_expected.json").read_text(encoding="utf-8"))
    data = json.loads((DATA / "link_rows.json").read_text(encoding="utf-8"))
    report_quality("hand rows", (data["documents"], {t: data[t] for t in TABLES}), expected["links"])
    if not OFSTED.exists():
        print(f"{OFSTED} is not here: no measure on the real documents")
        return
    report_quality(
        "real", built([ROOT / "corpus", *(OFSTED / n for n in expected["reports"])]), expected["links"]
    )
    report_quality(
        "held out", built([OFSTED / n for n in expected["held_out_reports"]]), expected["held_out"]
    )


def recurrence_quality(found: train.Examples, chances: Any, name: str) -> None:
    """Precision and recall per authority at the model's threshold, and its reliability."""
    bar = stored_models()["recurs_in"].threshold
    print(f"\n{name}: recurs_in at probability >= {bar}")
    print(f"{'authority':<22} {'links':>5}  precision  recall  | high-confidence only: precision  recall")
    for authority, (p, r, ph, rh) in train.per_authority(chances, found, bar).items():
        print(f"{authority:<22} {found.links[authority]:>5}  {p:9.2f}  {r:6.2f}  | {ph:32.2f}  {rh:6.2f}")
    p, r = train.precision_recall(chances >= bar, found)
    ph, rh = train.precision_recall(chances >= bar, found, only_high=True)
    print(f"{'all':<22} {sum(found.links.values()):>5}  {p:9.2f}  {r:6.2f}  | {ph:32.2f}  {rh:6.2f}")
    print("reliability: probability band, pairs, share a reader accepted")
    for lo, hi, n, share in train.reliability(chances, found.y):
        print(f"  {lo:.1f}-{hi:.1f}  {n:5}  {share:.2f}")


def recurrence(gold: list[Path]) -> None:
    if not train.DEFAULT_GOLD.exists():
        print(f"{train.DEFAULT_GOLD} is not here: no leave-one-authority-out measure")
    else:
        found = train.examples(train.training_golds())
        recurrence_quality(found, train.leave_one_authority_out(found), "leave-one-authority-out")
    for path in gold:
        found = train.examples([train.load_gold(path)])
        weights = stored_models()["recurs_in"]
        recurrence_quality(found, weights.probability(found.x), f"{path.name}, never learned from")
    held_out()
    candidate_lists()
    two_readers()


def held_out() -> None:
    """The model as shipped on every held-out set of tests/data (drawn blind after it was
    fixed, never learned from), set by set and together."""
    weights = stored_models()["recurs_in"]
    paths = sorted(DATA.glob("recurrence_holdout_*.json"))
    print(f"\nheld out, never learned from: recurs_in at probability >= {weights.threshold}")
    golds = []
    for path in paths:
        golds.append(train.load_gold(path))
        found = train.examples(golds[-1:])
        p, r = train.precision_recall(weights.probability(found.x) >= weights.threshold, found)
        names = ", ".join(found.authorities)
        print(
            f"  {path.name:<28} {sum(found.links.values()):>4} links  precision {p:.2f}  recall {r:.2f}  ({names})"
        )
    found = train.examples(golds)
    chances = weights.probability(found.x)
    p, r = train.precision_recall(chances >= weights.threshold, found)
    print(f"  {'together':<28} {sum(found.links.values()):>4} links  precision {p:.2f}  recall {r:.2f}")
    recurrence_quality(found, chances, "held out, authority by authority")


def candidate_lists() -> None:
    """What a person is asked to settle: for each later item, the asks of every earlier
    inspection ranked, links at the model's threshold and the best few of the rest kept as
    suggestions. Per held-out set (and leave one authority out on the training authorities):
    the share of the hand-drawn repeats the links and suggestions hold with 1, 3 and 5 kept
    per later item (and the shipped number), the suggestions (decisions) that asks per later
    item and per authority, and the asserted links' precision."""
    from link import candidates

    weights = stored_models()["recurs_in"]
    keeps = sorted({1, 3, 5, weights.keep})
    print(
        f"\ncandidate lists: asserted at >= {weights.threshold}, suggestions at >= {weights.suggest}, "
        f"{weights.keep} kept per later item (link/candidates.py)"
    )
    header = "  ".join(f"recall@{k} decisions" for k in keeps)
    print(f"  {'set':<34} {'repeats':>7}  {header}  asserted precision")
    sets: list[tuple[str, Any, Any]] = []
    if train.DEFAULT_GOLD.exists():
        found = candidates.lists(train.training_golds())
        sets.append(("leave-one-authority-out", found, candidates.leave_one_authority_out(found)))
    golds = [train.load_gold(p) for p in candidates.HOLDOUT]
    for path, gold in zip(candidates.HOLDOUT, golds, strict=True):
        found = candidates.lists([gold])
        sets.append((path.name, found, weights.probability(found.x)))
    found = candidates.lists(golds)
    sets.append(("held out, together", found, weights.probability(found.x)))
    for name, found, chances in sets:
        cells = []
        for k in keeps:
            f = candidates.measure(found, chances, weights.threshold, weights.suggest, k)
            cells.append(f"{f.recall:8.2f} {f.decisions:9.2f}")
        shipped = candidates.measure(found, chances, weights.threshold, weights.suggest, weights.keep)
        per_authority = shipped.decisions * shipped.later_items / len(found.authorities)
        print(
            f"  {name:<34} {shipped.repeats:>7}  {'  '.join(cells)}  {shipped.precision:.2f} "
            f"({shipped.asserted_right}/{shipped.asserted}); {per_authority:.0f} suggestions an authority"
        )


def two_readers() -> None:
    """The same reports read by two readers, blind to each other: how far they agree, and the
    model against each."""
    first = [train.load_gold(DATA / f"recurrence_holdout_{s}.json") for s in "ef"]
    second = train.load_gold(DATA / "recurrence_second_reader_ef.json")
    weights = stored_models()["recurs_in"]
    print("\ntwo readers of the same 18 reports (held-out sets e and f), blind to each other:")
    p, r = train.readers_agreement(first, second)
    print(f"  the second reader against the first  precision {p:.2f}  recall {r:.2f}")
    for name, golds in (("the first", first), ("the second", [second])):
        found = train.examples(golds)
        p, r = train.precision_recall(weights.probability(found.x) >= weights.threshold, found)
        print(f"  the model against {name:<18}precision {p:.2f}  recall {r:.2f}")


def findings_support() -> None:
    """Would knowing which findings stand behind each later item find the repeats the texts
    miss? The paragraphs were chosen by hand (tests/data/findings_support_dev.json, blind to
    the earlier reports), so this is the best any paragraph-choosing model could give: the
    model's features, leave one authority out on the six authorities of
    ../shared/gold/recurrence_dev.json, with and without how far the earlier ask is found in
    the paragraphs behind the later item (its rare words, and in meaning)."""
    import numpy as np
    from rapidfuzz import fuzz

    from link.meaning import meanings, paragraphs_of
    from link.model import json_list
    from link.text import normalise_many

    folder = ROOT.parent / "shared" / "corpus" / "ofsted-more"
    if not train.DEFAULT_GOLD.exists() or not folder.exists():
        print(f"\n{train.DEFAULT_GOLD} or {folder} is not here: no measure of the findings behind the items")
        return
    gold = train.load_gold(train.DEFAULT_GOLD)
    support = json.loads((DATA / "findings_support_dev.json").read_text(encoding="utf-8"))["files"]
    behind: dict[tuple[str, str], list[frozenset[str]]] = {}
    for file, items in support.items():
        paragraphs = paragraphs_of(str(folder / file))
        for item in items:
            chosen = []
            for cited in item["paragraphs"]:
                start = cited["start"].lower()
                best = max(paragraphs, key=lambda t: fuzz.partial_ratio(start, t[: len(start) + 40].lower()))
                chosen.append(best)
            behind[(file, str(item["ref"]))] = [frozenset(w.split()) for w in normalise_many(chosen)]
    texts = {
        (file, str(i["ref"])): [str(i["text"]), *json_list(i.get("sub_items"))]
        for file, items in gold["items"].items()  # type: ignore[attr-defined]
        for i in items
    }
    found = train.examples([gold])
    vectors = meanings()
    weight = {w: float(vectors.idf[k]) for w, k in vectors.words.items()}

    def found_in(ask: frozenset[str], paragraph: frozenset[str]) -> float:
        total = sum(weight.get(w, 3.0) for w in ask)
        return sum(weight.get(w, 3.0) for w in ask & paragraph) / total if total else 0.0

    extra = []
    for pair in found.pairs:
        paragraphs = behind.get(pair.later, [])
        asks = [frozenset(w.split()) for w in normalise_many(texts[pair.earlier])]
        if not paragraphs:
            extra.append([0.0, 0.0])
            continue
        in_meaning = float((vectors.of(asks) @ vectors.of(paragraphs).T).max())
        extra.append([max(found_in(a, p) for a in asks for p in paragraphs), in_meaning])
    y = found.y.astype(bool)
    unreached = sum(len(v) for v in found.unreached.values())

    def average_precision(chances: Any) -> float:
        order = np.argsort(-chances)
        hits = y[order]
        precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        return float((precision * hits).sum() / (y.sum() + unreached))

    bar = stored_models()["recurs_in"].threshold
    print(
        f"\nthe findings behind each later item, chosen by hand ({len(behind)} items of {len(support)} reports):"
    )
    without = found.x
    for name, x in (
        ("the model's features", without),
        ("and the findings behind", np.hstack([without, extra])),
    ):
        found.pairs = [replace(p, x=row) for p, row in zip(found.pairs, x, strict=True)]
        chances = train.leave_one_authority_out(found)
        p, r = train.precision_recall(chances >= bar, found)
        print(
            f"  {name:<26} average precision {average_precision(chances):.3f}  at {bar}: precision {p:.2f}  recall {r:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=400)
    parser.add_argument("--quality", action="store_true", help="precision and recall per relation")
    parser.add_argument("--gold", type=Path, action="append", default=[], help="held-out recurrences")
    parser.add_argument("--no-build", action="store_true", help="with --quality: skip the built stores")
    args = parser.parse_args()
    if args.quality:
        if not args.no_build:
            quality()
        recurrence(args.gold)
        findings_support()
        return
    documents, tables = region(args.authorities)
    items = sum(len(rows) for rows in tables.values())
    start = time.perf_counter()
    report = link_report(documents, tables)
    seconds = time.perf_counter() - start
    print(
        f"{args.authorities} authorities, {len(documents)} documents, {items} items: "
        f"{len(report.links)} links in {seconds:.1f} s = {items / seconds:,.0f} items linked per second"
    )


if __name__ == "__main__":
    main()
