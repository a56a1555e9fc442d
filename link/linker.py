"""The linker: store rows in, scored and explained links out.

Every link points from the later item to the earlier one it answers, restates or repeats,
so the journey of a recommendation is every link whose target it is. Links never cross
authorities (documents are linked in blocks, one per authority: see link/stages.py),
except `same_theme`, which is off by default.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from extract.records import Action, AreaLink, Recommendation, from_row
from extract.vocab import SAME_THEME

from .blocks import STATUS_DOCS, Block, authority_documents, blocks
from .inspections import ORIGINAL_KINDS, Doc, rows_to_docs
from .learn import Weights, stored_models
from .model import Link, LinkReport, Row, unique
from .recurrence import parts_of, units
from .score import Encoder, WordCounts, both_mention, score
from .stages import PEER_REVIEW, Linking
from .text import Reading, forget, known_readings, normalise_many, remember

__all__ = ["Link", "LinkReport", "link_by_authority", "link_report", "link_rows", "texts_to_read"]

# Different authorities told the same thing (same_theme, off by default): near-identical text.
SAME_THEME_AGREEMENT = 0.85
TABLES = ("recommendations", "actions", "area_links", "findings")
# Authority blocks are linked in the build's worker processes only when they hold at least
# this many items (recommendations and statements) in all: below it, sending the blocks and
# the encoder to the workers costs more than linking them here (a store of a few councils).
PARALLEL_LINK_ITEMS = 2000
# Blocks are dealt into this many tasks per worker, largest first, so that one council with
# many reports does not leave the other workers idle at the end.
LINK_TASKS_PER_WORKER = 2
# A store's authorities are linked a batch at a time, a batch closing once it holds this many
# items: the main process holds one batch's rows and readings, not the store's. On a store
# large enough to link in the workers (PARALLEL_LINK_ITEMS recommendations), every batch goes
# to them.
LINK_BATCH_ITEMS = 2000

# Runs a function over a list of tasks (the build's worker pool), returning the results in order.
Mapper = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def link_rows(documents: list[Row], tables: dict[str, list[Row]], same_theme: bool = False) -> list[Link]:
    return link_report(documents, tables, same_theme).links


def link_report(
    documents: list[Row],
    tables: dict[str, list[Row]],
    same_theme: bool = False,
    mapper: Mapper | None = None,
    workers: int = 1,
) -> LinkReport:
    """Every link among the rows. `mapper` (the build's pool of `workers` processes) links
    the authority blocks in parallel when there are enough of them: they are independent once
    the encoder's weights, which depend on every authority's recommendations, are known. The
    links are the same, in the same order, either way."""
    docs = rows_to_docs(documents)
    recs, actions, area_links, findings = records_of(docs, tables)
    originals = [r.text for r in recs if is_original(r, docs)]
    encoder = Encoder(texts_weighed(recs), reference=originals)
    found = blocks(docs, recs, actions, area_links, findings)
    report = link_found(
        found, encoder, mapper if sum(map(block_size, found)) >= PARALLEL_LINK_ITEMS else None, workers
    )
    if same_theme:
        report.links.extend(same_theme_links(docs, recs, encoder))
    return finished(report)


# Gives the rows of some tables ("recommendations", ...) of some documents (by id), having
# remembered the readings of their texts (link/text.py `remember`).
Reader = Callable[[list[str], Sequence[str]], dict[str, list[Row]]]


def link_by_authority(
    documents: list[Row], read: Reader, mapper: Mapper | None = None, workers: int = 1
) -> Iterator[tuple[list[str], LinkReport]]:
    """The links `link_report` finds among a store's rows, in the same order, a batch of
    authorities at a time (`LINK_BATCH_ITEMS`): each batch's documents and their links.
    `read` gives a few authorities' rows, so that memory holds a batch, not the store, and
    each batch's links can be written before the next is read. The rows are read twice: first
    the recommendations, for the encoder's weights, which depend on every authority's; then
    all, to link them."""
    docs = rows_to_docs(documents)
    groups = authority_documents(docs)
    counts = WordCounts()
    counted = 0  # the store's recommendations: is it large enough to link in the workers?
    for ids in groups:
        recs = records_of(subset(docs, ids), read(ids, ("recommendations",)))[0]
        counted += len(recs)
        counts.add(
            normalise_many(texts_weighed(recs)),
            normalise_many([r.text for r in recs if is_original(r, docs)]),
        )
        forget()
    encoder = Encoder.of_counts(counts)
    if counted < PARALLEL_LINK_ITEMS:
        mapper = None  # every batch is linked here
    batch: list[Block] = []
    inside: list[str] = []
    for n, ids in enumerate(groups):
        mine = subset(docs, ids)
        batch.extend(blocks(mine, *records_of(mine, read(ids, TABLES))))
        inside.extend(ids)
        if n == len(groups) - 1 or sum(map(block_size, batch)) >= LINK_BATCH_ITEMS:
            # links never join two authorities: a batch's are finished on their own
            yield inside, finished(link_found(batch, encoder, mapper, workers))
            batch, inside = [], []
            forget()


def records_of(
    docs: dict[str, Doc], tables: dict[str, list[Row]]
) -> tuple[list[Recommendation], list[Action], list[AreaLink], list[Recommendation]]:
    """The linker's records of the rows of `docs`: recommendations, actions, area links, findings."""
    recs = [
        from_row(Recommendation, r)
        for r in tables.get("recommendations", [])
        if r.get("document_id") in docs and r.get("text")
    ]
    actions = [from_row(Action, r) for r in tables.get("actions", []) if r.get("document_id") in docs]
    area_links = [from_row(AreaLink, r) for r in tables.get("area_links", []) if r.get("document_id") in docs]
    findings = [
        from_row(Recommendation, r)
        for r in tables.get("findings", [])
        if r.get("document_id") in docs and r.get("text")
    ]
    return recs, actions, area_links, findings


def subset(docs: dict[str, Doc], ids: list[str]) -> dict[str, Doc]:
    return {i: docs[i] for i in ids}


def texts_weighed(recs: Sequence[Recommendation]) -> list[str]:
    """The texts whose words the encoder weighs: every recommendation and its bullets."""
    return [r.text for r in recs] + [s for r in recs for s in r.sub_items]


def link_found(found: list[Block], encoder: Encoder, mapper: Mapper | None, workers: int) -> LinkReport:
    """The links of some authority blocks: in the workers, given their `mapper`, else here."""
    report = LinkReport()
    models = stored_models()
    if (
        mapper is not None
        and workers > 1
        and link_in_workers(found, encoder, models, report, mapper, workers)
    ):
        return report
    for block in found:
        Linking(block, encoder, report, models).run()
    return report


def finished(report: LinkReport) -> LinkReport:
    """Each link once, and no suggestion where there is a link."""
    report.links = unique(report.links)
    kept = {(link.source_id, link.target_id) for link in report.links}
    report.suggestions = [s for s in unique(report.suggestions) if (s.source_id, s.target_id) not in kept]
    return report


def link_in_workers(
    found: list[Block],
    encoder: Encoder,
    models: dict[str, Weights],
    report: LinkReport,
    mapper: Mapper,
    workers: int,
) -> bool:
    """Link the blocks in the workers, adding their links to `report` in the order of the
    blocks, as linking them here would. Returns False, with `report` untouched, when the
    workers could not do it (a block that cannot be sent to them): they are then linked here,
    where a fault in the linker itself is raised as ever."""
    tasks = deal(found, encoder, models, workers * LINK_TASKS_PER_WORKER)
    try:
        parts = dict(part for done in mapper(link_blocks, tasks) for part in done)
    except Exception:  # noqa: BLE001 - linked here instead, where a real fault is raised
        return False
    for n in range(len(found)):
        report.links.extend(parts[n].links)
        report.suggestions.extend(parts[n].suggestions)
        report.disagreements.extend(parts[n].disagreements)
    return True


@dataclass(frozen=True)
class BlocksTask:
    """Some authority blocks (with their places in the list of all blocks) to link in a
    worker: the encoder as the main process made it, the recurrence model, and the readings
    of the blocks' texts, so that the worker need not read them again."""

    blocks: tuple[tuple[int, Block], ...]
    encoder: Encoder
    models: dict[str, Weights]
    readings: tuple[Reading, ...]


def link_blocks(task: BlocksTask) -> list[tuple[int, LinkReport]]:
    """Run in a worker: each block's links, by its place."""
    remember(task.readings)
    done = []
    for n, block in task.blocks:
        report = LinkReport()
        Linking(block, task.encoder, report, task.models).run()
        done.append((n, report))
    return done


def block_size(block: Block) -> int:
    return sum(map(len, block.recs.values())) + sum(map(len, block.findings.values()))


def deal(found: list[Block], encoder: Encoder, models: dict[str, Weights], tasks: int) -> list[BlocksTask]:
    """The blocks dealt into at most `tasks` tasks of about equal size, largest block first.
    Each task carries a fresh copy of the encoder: its codes for words are made as it meets
    them, and scores do not depend on which code a word gets."""
    piles: list[list[tuple[int, Block]]] = [[] for _ in range(max(1, min(tasks, len(found))))]
    sizes = [0] * len(piles)
    for n in sorted(range(len(found)), key=lambda n: -block_size(found[n])):
        k = sizes.index(min(sizes))
        piles[k].append((n, found[n]))
        sizes[k] += block_size(found[n]) or 1
    fresh = copy.copy(encoder)
    fresh.normalised, fresh.codes, fresh.weighted = {}, {}, {}  # the readings below stand in for it
    return [
        BlocksTask(
            tuple(pile),
            fresh,
            models,
            tuple(known_readings(t for _, block in pile for t in block_texts(block))),
        )
        for pile in piles
        if pile
    ]


def block_texts(block: Block) -> list[str]:
    texts: list[str] = []
    for doc in block.docs:
        rows = [*block.recs.get(doc.id, []), *block.findings.get(doc.id, [])]
        texts.extend(texts_of(rows, doc.doc_type == PEER_REVIEW))
    return texts


def texts_to_read(documents: list[Row], tables: dict[str, list[Row]]) -> dict[str, list[str]]:
    """Per document, the texts the linker normalises when it links the document's rows: its
    items, their bullets, and the pieces a repeat is read in (see link/recurrence.py). Read
    where the document is extracted and stored (see link/text.py `readings_of`); a text left
    out here is still read when it is linked, only more slowly."""
    docs = rows_to_docs(documents)
    rows: dict[str, list[Recommendation]] = {}
    for row in tables.get("recommendations", []):
        if row.get("document_id") in docs and row.get("text"):
            rows.setdefault(str(row["document_id"]), []).append(from_row(Recommendation, row))
    for row in tables.get("findings", []):
        owner = docs.get(row.get("document_id"))  # type: ignore[arg-type]
        if owner and owner.doc_type in STATUS_DOCS and row.get("text"):
            rows.setdefault(owner.id, []).append(from_row(Recommendation, row))
    return {doc: texts_of(recs, docs[doc].doc_type == PEER_REVIEW) for doc, recs in rows.items()}


def texts_of(recs: Sequence[Recommendation], peer_review: bool) -> list[str]:
    texts: list[str] = []
    for pieces in (units(list(recs)), units(list(recs), True) if peer_review else []):
        texts.extend(t for u in pieces for t in (u.text, u.core))
    texts.extend(t for r in recs for t in (r.text, *r.sub_items))
    # The clauses their meaning is compared by (link/recurrence.py `parts_of`).
    texts.extend(p for t in list(texts) for p in parts_of(t))
    return list(dict.fromkeys(texts))


def is_original(row: Recommendation, docs: dict[str, Doc]) -> bool:
    return docs[row.document_id].is_inspection and row.kind in ORIGINAL_KINDS


def same_theme_links(docs: dict[str, Doc], recs: list[Recommendation], encoder: Encoder) -> list[Link]:
    """Inspection recommendations of different authorities that say the same thing."""
    originals = [r for r in recs if is_original(r, docs)]
    encoded = encoder.encode([r.text for r in originals])
    agreement = score(encoded, encoded).agreement
    links = []
    for i, j in np.argwhere(np.triu(agreement, 1) >= SAME_THEME_AGREEMENT):
        a, b = originals[int(i)], originals[int(j)]
        da, db = docs[a.document_id], docs[b.document_id]
        if da.authority == db.authority:
            continue
        if (da.date or "", a.id) < (db.date or "", b.id):
            a, b, da, db = b, a, db, da
        words = ", ".join(both_mention(encoded.words[int(i)], encoded.words[int(j)], encoder.weights))
        evidence = f"different authorities ({da.authority}, {db.authority}); text agreement {agreement[i, j]:.2f}; both: {words}"
        value = round(float(agreement[i, j]), 3)
        links.append(
            Link(
                "recommendations",
                a.id,
                "recommendations",
                b.id,
                SAME_THEME,
                "similarity",
                value,
                evidence,
            )
        )
    return links
