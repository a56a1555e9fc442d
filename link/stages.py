"""The stages that link one authority's documents, oldest first.

1. the same report stored twice is linked one to one, and only one copy goes on;
2. each later document answers an inspection: its restatements, plan areas and listed
   findings are linked by number when the texts agree, else by meaning; its "Area | Link to
   Recommendation" cells explicitly; its actions through their plan area;
3. each inspection's items are linked to the earlier recommendations they repeat.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from extract.records import Action, AreaLink, Recommendation
from extract.vocab import ADDRESSES, RECURS_IN, REPORTS_STATUS_OF, RESPONDS_TO, RESTATES

from .blocks import RESPONSE_DOCS, STATUS_DOCS, Block, block_order
from .candidates import best_pairs, split_ranked
from .inspections import ORIGINAL_KINDS, Doc, answered_inspection, days_between, named_year
from .learn import Weights
from .model import Link, LinkReport, label_number, name_of, number_of, short
from .recurrence import CANDIDATE_AGREEMENT, explain
from .score import Encoded, Encoder, both_mention, score

# Tunables. Scores are text agreement in 0-1: the mean of the weighted Dice coefficient and
# the overlap coefficient of the two texts' normalised words (see link/score.py).
# A restatement that carries the original's number may quote only part of it or paraphrase:
# this much agreement confirms the number, and is far above what two different
# recommendations of one report reach (below 0.3 on the seeds).
NUMBER_AGREEMENT = 0.45
# Without a number (or against it), the texts alone must agree clearly.
MEANING_AGREEMENT = 0.6
# A bullet of a restatement that belongs to another recommendation (a council moving a
# bullet): nearly all of its words must be found there, and it must say enough to tell.
PART_AGREEMENT = 0.9
PART_MIN_WEIGHT = 5
# The same report stored twice (its own PDF and an appendix of a committee pack): published
# within weeks of each other, and item by item nearly the same text.
COPY_MAX_DAYS = 62
COPY_AGREEMENT = 0.9

# How an item of a later document relates to the inspection item it answers.
PEER_REVIEW = "peer_review_letter"
ANSWER_RELATIONS = {"restatement": RESTATES, "plan_area": RESPONDS_TO, "key_finding": RESTATES}
RECS = "recommendations"
AreaTargets = dict[str, list[tuple[Recommendation, str, float]]]


class Linking:
    def __init__(
        self, block: Block, encoder: Encoder, report: LinkReport, models: dict[str, Weights]
    ) -> None:
        self.block = block
        self.repeats = models[RECURS_IN]
        self.statuses = models[REPORTS_STATUS_OF]
        self.encoder = encoder
        self.report = report
        self.encoded: dict[str, Encoded] = {}

    def run(self) -> None:
        inspections = [d for d in self.block.docs if d.is_inspection and self.originals(d)]
        inspections = self.link_copies(inspections)
        stand_ins: list[Doc] = []
        for doc in self.block.docs:
            if doc.is_inspection or doc.doc_type == "committee_pack":
                continue
            headings = [r.section for r in self.block.recs.get(doc.id, [])]
            inspection = answered_inspection(doc, inspections, named_year(doc, headings))
            if inspection is None:
                # The inspection it answers is not stored: what it restates stands in for it.
                if self.answers(doc):
                    stand_ins.append(doc)
                continue
            area_targets = self.link_answers(doc, inspection)
            self.link_area_table(doc, inspection)
            self.link_actions(doc, inspection, area_targets)
            self.link_status_reports(doc, inspection)
            self.link_responses(doc, inspection)
        # A peer review's areas for consideration are asks a later inspection may repeat.
        reviews = [d for d in self.block.docs if d.doc_type == PEER_REVIEW and self.asked(d)]
        # Each later inspection against the asks of every earlier one (a repeat may skip one).
        for later in inspections:
            earlier = [e for e in inspections + stand_ins if e.date and later.date and e.date < later.date]
            self.link_repeats(later, sorted(earlier, key=block_order))
        for review in reviews:  # the next inspection says whether what the review found persists
            after = [d for d in inspections if d.date and review.date and d.date > review.date]
            if after:
                self.link_repeats(after[0], [review])

    # -- rows ------------------------------------------------------------------------------

    def originals(self, doc: Doc) -> list[Recommendation]:
        return [r for r in self.block.recs.get(doc.id, []) if r.kind in ORIGINAL_KINDS]

    def answers(self, doc: Doc) -> list[Recommendation]:
        return [r for r in self.block.recs.get(doc.id, []) if r.kind in ANSWER_RELATIONS]

    def asked(self, doc: Doc) -> list[Recommendation]:
        """What a document asks: an inspection's recommendations, a peer review's areas for
        consideration, or a stand-in's restatements."""
        if doc.doc_type == PEER_REVIEW:
            return [r for r in self.block.recs.get(doc.id, []) if r.kind == "area_for_consideration"]
        return self.originals(doc) if doc.is_inspection else self.answers(doc)

    def encode(self, doc: Doc, rows: list[Recommendation]) -> Encoded:
        key = f"{doc.id}:" + ",".join(r.id for r in rows)
        if key not in self.encoded:
            self.encoded[key] = self.encoder.encode([r.text for r in rows])
        return self.encoded[key]

    def add(
        self,
        table: str,
        row: Recommendation | Action | AreaLink,
        target: Recommendation,
        how: tuple[str, str],
        value: float,
        evidence: str,
    ) -> None:
        relation, method = how
        link = Link(table, row.id, RECS, target.id, relation, method, round(float(value), 3), evidence)
        self.report.links.append(link)

    def both(self, a: Encoded, i: int, b: Encoded, j: int) -> str:
        words = both_mention(a.words[i], b.words[j], self.encoder.weights)
        return f"; both: {', '.join(words)}" if words else ""

    def keep(self, ranked: dict[int, list[tuple[float, Link]]], model: Weights, item: str) -> None:
        links, suggestions = split_ranked(ranked, model, item)
        self.report.links.extend(links)
        self.report.suggestions.extend(suggestions)

    def disagree(self, row: Recommendation | Action | AreaLink, what: str) -> None:
        self.report.disagreements.append(f"{row.id}: {what}")

    # -- the same report twice -------------------------------------------------------------

    def link_copies(self, inspections: list[Doc]) -> list[Doc]:
        """Link the items of a report stored twice one to one; return the inspections
        without their copies (a standalone PDF is kept over its copy inside a pack)."""
        copies: set[str] = set()
        ranked = sorted(inspections, key=lambda d: (d.parent_id is not None, d.id))
        for n, kept in enumerate(ranked):
            for other in ranked[n + 1 :]:
                if kept.id in copies or other.id in copies:
                    continue
                agreement = self.copy_agreement(kept, other)
                if agreement is None:
                    continue
                copies.add(other.id)
                for i, (copy, original) in enumerate(
                    zip(self.originals(other), self.originals(kept), strict=True)
                ):
                    evidence = (
                        f"the same report stored twice ({other.path} and {kept.path}); "
                        f"item {i + 1} = item {i + 1}; text agreement {agreement[i]:.2f}"
                    )
                    self.add(RECS, copy, original, (RESTATES, "number+similarity"), agreement[i], evidence)
        return [d for d in inspections if d.id not in copies]

    def copy_agreement(self, a: Doc, b: Doc) -> np.ndarray | None:
        """Item-by-item agreement when `b` is a copy of `a`, else None."""
        days = days_between(a.date, b.date)
        x, y = self.originals(b), self.originals(a)
        if days is None or days > COPY_MAX_DAYS or len(x) != len(y):
            return None
        agreement = np.diag(score(self.encode(b, x), self.encode(a, y)).agreement)
        return agreement if agreement.min() >= COPY_AGREEMENT else None

    # -- a later document answering an inspection ------------------------------------------

    def link_answers(self, doc: Doc, inspection: Doc) -> AreaTargets:
        """Restatements, plan areas and listed findings to the recommendation they answer.
        Returns, per plan area label, what it answers, for the area's actions."""
        sources, targets = self.answers(doc), self.originals(inspection)
        by_area: AreaTargets = defaultdict(list)
        if not sources or not targets:
            return by_area
        a, b = self.encode(doc, sources), self.encode(inspection, targets)
        agreement = score(a, b).agreement
        numbers = {number_of(t, n): n for n, t in enumerate(targets)}
        for i, src in enumerate(sources):
            j, method = self.choose(src, agreement[i], numbers, targets)
            if j is None:
                continue
            label = f"label {src.label} = {name_of(targets[j], j)}; " if method == "number+similarity" else ""
            evidence = (
                f"same authority; answers the inspection of {inspection.date}; {label}"
                f"text agreement {agreement[i, j]:.2f}{self.both(a, i, b, j)}"
            )
            relation = ANSWER_RELATIONS[src.kind]
            self.add(RECS, src, targets[j], (relation, method), agreement[i, j], evidence)
            if src.kind == "plan_area" and src.label:
                by_area[src.label].append((targets[j], method, float(agreement[i, j])))
            self.link_parts(src, relation, targets, b, j)
        return by_area

    def choose(
        self,
        src: Recommendation,
        agreement: np.ndarray,
        numbers: dict[int | None, int],
        targets: list[Recommendation],
    ) -> tuple[int | None, str]:
        """By number when the texts agree; else by meaning; a disagreement is reported."""
        best = int(agreement.argmax())
        number = src.number
        j = numbers.get(number) if number is not None else None
        if j is not None and agreement[j] >= NUMBER_AGREEMENT:
            return j, "number+similarity"
        printed = f"its label {src.label} names {name_of(targets[j], j)}, but " if j is not None else ""
        if agreement[best] >= MEANING_AGREEMENT:
            if printed:
                self.disagree(
                    src,
                    f"{printed}its text agrees with {name_of(targets[best], best)} ({agreement[best]:.2f})",
                )
            return best, "similarity"
        if j is not None:
            self.disagree(src, f"{printed}the texts disagree ({agreement[j]:.2f}): not linked")
        return None, ""

    def link_parts(
        self, src: Recommendation, relation: str, targets: list[Recommendation], b: Encoded, linked: int
    ) -> None:
        """A bullet that belongs to another recommendation links there too."""
        parts = list(src.sub_items)
        if not parts:
            return
        p = self.encoder.encode(parts)
        contained = score(p, b).shared / np.maximum(p.sizes[:, None], 1)
        found: dict[int, list[int]] = defaultdict(list)
        for k in range(len(parts)):
            if p.sizes[k] >= PART_MIN_WEIGHT:
                for j in map(int, np.flatnonzero(contained[k] >= PART_AGREEMENT)):
                    if j != linked:
                        found[j].append(k)
        for j, ks in found.items():
            value = float(contained[ks, j].mean())
            bullets = "; ".join(f"'{short(parts[k])}'" for k in ks)
            evidence = f"same authority; its bullets {bullets} are {name_of(targets[j], j)}'s words (agreement {value:.2f})"
            self.add(RECS, src, targets[j], (relation, "similarity"), value, evidence)

    def link_area_table(self, doc: Doc, inspection: Doc) -> None:
        """A printed "Area | Link to Recommendation" cell is the council's own cross-reference."""
        numbers = {number_of(t, n): t for n, t in enumerate(self.originals(inspection))}
        for row in self.block.area_links.get(doc.id, []):
            area = f"area '{short(row.area)}'" if row.area else "an area whose name is lost"
            table = short(row.table or "Link to Recommendation", 60)
            for label in row.labels:
                target = numbers.get(label_number(label))
                if target is None:
                    self.disagree(
                        row,
                        f"links {area} to recommendation {label}, not in the inspection of {inspection.date}",
                    )
                    continue
                evidence = f"same authority; the '{table}' table links {area} to recommendation {label}"
                self.add("area_links", row, target, (RESPONDS_TO, "explicit"), 1.0, evidence)

    def link_actions(self, doc: Doc, inspection: Doc, area_targets: AreaTargets) -> None:
        """An action addresses the recommendation its plan area answers."""
        for action in self.block.actions.get(doc.id, []):
            area = action.area_label or ""
            if area and area not in area_targets:
                self.disagree(
                    action,
                    f"its area {area} answers no recommendation of the inspection of {inspection.date}",
                )
            for target, method, value in area_targets.get(area, []):
                evidence = (
                    f"same authority; action {action.label} is under plan area {area}, which "
                    f"answers {name_of(target)} (text agreement {value:.2f})"
                )
                self.add("actions", action, target, (ADDRESSES, method), value, evidence)

    def link_status_reports(self, doc: Doc, inspection: Doc) -> None:
        """A progress report's statements of what has improved report on the recommendation
        whose ask they speak to (`reports_status_of`). Scored as a repeat is (the probability
        that the two are about the same ask), by a model learned from the same pairs without
        the meaning features (see link/train.py), with its own threshold."""
        statements, targets = self.block.findings.get(doc.id, []), self.originals(inspection)
        if doc.doc_type not in STATUS_DOCS or not statements or not targets:
            return
        ranked: dict[int, list[tuple[float, Link]]] = defaultdict(list)
        pairs = best_pairs(self.encoder, self.statuses, statements, targets, floor=CANDIDATE_AGREEMENT)
        for i, j, chance, candidate, unit in pairs:
            if chance < self.statuses.suggest:
                continue  # never kept: not worth describing
            part = f" (its bullet '{short(unit.bullet)}')" if unit.bullet else ""
            evidence = (
                f"same authority; the {doc.doc_type.replace('_', ' ')} of {doc.date} reports on "
                f"{name_of(targets[j], j)}{part} of the inspection of {inspection.date} "
                f"('{short(statements[i].text, 60)}'); {explain(self.statuses, candidate)}"
            )
            link = Link(
                "findings",
                statements[i].id,
                RECS,
                targets[j].id,
                REPORTS_STATUS_OF,
                "similarity",
                round(chance, 3),
                evidence,
            )
            ranked[i].append((chance, link))
        self.keep(ranked, self.statuses, "statement")

    def link_responses(self, doc: Doc, inspection: Doc) -> None:
        """A committee report that restates an inspection's items as headings answers each
        under its heading: every paragraph there `responds_to` the item the heading restates
        (the heading must agree with the item as a restatement does)."""
        if doc.doc_type not in RESPONSE_DOCS:
            return
        paragraphs = [f for f in self.block.findings.get(doc.id, []) if f.theme]
        targets = self.originals(inspection)
        if not paragraphs or not targets:
            return
        headings = list(dict.fromkeys(str(f.theme) for f in paragraphs))
        a, b = self.encoder.encode(headings), self.encode(inspection, targets)
        agreement = score(a, b).agreement
        for k, heading in enumerate(headings):
            j = int(agreement[k].argmax())
            if agreement[k, j] < MEANING_AGREEMENT:
                continue
            evidence = (
                f"same authority; under the heading '{short(heading)}', which restates "
                f"{name_of(targets[j], j)} of the inspection of {inspection.date} "
                f"(text agreement {agreement[k, j]:.2f}){self.both(a, k, b, j)}"
            )
            for paragraph in paragraphs:
                if paragraph.theme == heading:
                    self.add(
                        "findings",
                        paragraph,
                        targets[j],
                        (RESPONDS_TO, "similarity"),
                        agreement[k, j],
                        evidence,
                    )

    # -- later inspections -----------------------------------------------------------------

    def link_repeats(self, later: Doc, earlier: list[Doc]) -> None:
        """Each later item against each ask of the earlier documents (each recommendation, or
        each of its bullets: a new report often repeats one bullet of an old recommendation),
        scored by the model learned from hand-drawn recurrences (see link/recurrence.py): the
        best bullet of each earlier ask counts. For each later item, every pair at or above the
        model's threshold is a link; of the rest, the model's `keep` most probable at or above
        its `suggest` bar are suggestions for a person to settle (see link/candidates.py)."""
        sources = self.originals(later)
        if not sources:
            return
        ranked: dict[int, list[tuple[float, Link]]] = defaultdict(list)
        for doc in earlier:
            for i, chance, link in self.scored_repeats(later, doc, sources):
                ranked[i].append((chance, link))
        self.keep(ranked, self.repeats, "later item")

    def scored_repeats(
        self, later: Doc, earlier: Doc, sources: list[Recommendation]
    ) -> list[tuple[int, float, Link]]:
        """Each later item's pairs with the asks of one earlier document, as links (method
        `similarity`, score the model's probability rounded), with the later item's place and the
        probability itself (the candidates are ranked on it, as link/candidates.py measures them)."""
        targets = self.asked(earlier)
        if not targets:
            return []
        what = "the inspection" if earlier.is_inspection else f"the {earlier.doc_type.replace('_', ' ')}"
        piece = "sentence" if earlier.doc_type == PEER_REVIEW else "bullet"
        found = []
        pairs = best_pairs(self.encoder, self.repeats, sources, targets, earlier.doc_type == PEER_REVIEW)
        for i, j, chance, candidate, unit in pairs:
            if chance < self.repeats.suggest:
                continue  # never kept: not worth describing
            part = f" (its {piece} '{short(unit.bullet)}')" if unit.bullet else ""
            # a pair below the asserting threshold is kept, if at all, as a candidate for a person
            verb = "repeats" if chance >= self.repeats.threshold else "may repeat"
            evidence = (
                f"same authority; the inspection of {later.date} {verb} {name_of(targets[j], j)}{part} of "
                f"{what} of {earlier.date}; {explain(self.repeats, candidate)}"
            )
            link = Link(
                RECS,
                sources[i].id,
                RECS,
                targets[j].id,
                RECURS_IN,
                "similarity",
                round(chance, 3),
                evidence,
            )
            found.append((i, chance, link))
        return found
