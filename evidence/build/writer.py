"""Writing the build's files to the store: in batches, with the outcome of writing them one by
one; a changed file that reads worse than its stored version keeps the stored rows."""

from __future__ import annotations

from extract.load import printable
from extract.quality import notes_reason, reading_of_texts, reads_worse_in_words, vanished

from ..store import Pending, Prepared, Store, now
from .result import BuildResult

# A changed file that now gives fewer than this share of the rows its stored version gave
# reads worse (a damaged copy pdfium still opens loses the text of a page or two, a truncated
# export its end): the stored rows are kept unless the build is told the new version is right
# (--accept-worse). 1.0: any row fewer, since a damaged page costs as few as 1 row in 20.
WORSE_SHARE = 1.0
# ... compared only when the stored version had at least this many rows: a short letter
# that goes from 3 items to 1 may simply have been rewritten.
WORSE_MIN_ITEMS = 4

# The build writes files in batches of about this many rows, one statement per table (see
# `Writer`): fewer, larger writes, and a batch waiting to be written stays small in memory.
STORE_BATCH_ROWS = 5000


def reads_worse(before: int, now: int) -> bool:
    """Whether a new version giving `now` rows reads worse than one that gave `before`."""
    return before >= WORSE_MIN_ITEMS and now < before * WORSE_SHARE


def worse_reading(items: int, texts: list[str], prepared: Prepared) -> str | None:
    """How a changed file's rows read worse than the stored ones (`items` rows, `texts`), in
    counts or in words (font codes where words were: see `extract.quality`), or None."""
    if reads_worse(items, prepared.items):
        return f"{prepared.items} items, against {items}"
    before, now = reading_of_texts(texts), reading_of_texts(prepared.texts())
    if reads_worse_in_words(before, now):
        return (
            f"{now.words:,} real words and {now.garbled} garbled runs, against {before.words:,} "
            f"and {before.garbled}"
        )
    gone = vanished(texts, prepared.texts())
    if gone:
        return f"no “{'”, “'.join(gone)}” in its rows (a font that lost a character?), against some"
    return None


class Writer:
    """Writes the build's files in batches (see `Store.write_batch`), with the outcome of
    writing them one by one, in order: a file whose places meet those of a file waiting to be
    written, or that is rejected, first has the waiting ones written; a batch that fails is
    written again file by file, so that a failure to store a file is that file's alone."""

    def __init__(self, store: Store, result: BuildResult) -> None:
        self.store = store
        self.result = result
        self.pending: list[Pending] = []
        self.places: set[str] = set()
        self.ids: set[str] = set()
        self.rows = 0

    def add(self, path: str, prepared: Prepared, copies: list[str]) -> None:
        self.pending.append(Pending(path, prepared, now(), tuple(copies)))
        self.places.update([path, *copies, *self.store.places_of(prepared.id)])
        self.ids.add(prepared.id)
        self.rows += prepared.items + len(prepared.readings) + len(prepared.documents)
        if self.rows >= STORE_BATCH_ROWS:
            self.flush()

    def meets(self, path: str, copies: list[str]) -> bool:
        """Whether writing the waiting files would change what is known of `path`."""
        return bool(self.places.intersection([path, *copies])) or self.store.document_at(path) in self.ids

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        self.places, self.ids, self.rows = set(), set(), 0
        if not batch:
            return
        try:
            self.store.write_batch(batch)
        except Exception:  # noqa: BLE001 - rolled back whole: written again file by file below
            for item in batch:
                self.write_one(item)
            return
        for item in batch:
            self.written(item)

    def written(self, item: Pending) -> None:
        """A file is stored, with what a person should know of its pages on its document row
        (`documents.notes`, see `extract.quality`): `list_notes` lists them on every build."""
        self.result.extracted.append(item.path)

    def write_one(self, item: Pending) -> None:
        """A failure to store a file is that file's alone (its savepoint is rolled back, so its
        old rows, if any, stay)."""
        try:
            self.store.write_batch([item])
        except Exception as exc:  # noqa: BLE001 - the per-document boundary, as in safe_extract
            reject(
                self.store,
                self.result,
                item.path,
                f"could not be stored ({type(exc).__name__}: {exc}); please report this file",
            )
            return
        self.written(item)

    def reject(self, path: str, reason: str) -> None:
        self.flush()  # the files before it first, as one by one
        reject(self.store, self.result, path, reason)


def store_one(
    writer: Writer,
    path: str,
    outcome: Prepared | str,
    copies: list[str],
    accept_worse: bool,
) -> None:
    """Write one document (with the next ones, in a batch), or say why it is not."""
    shown = printable(path)
    store = writer.store
    if writer.meets(shown, copies):
        writer.flush()
    previous = store.document_at(shown)
    if isinstance(outcome, str):
        kept = " (the rows stored from its earlier version are kept)" if previous else ""
        writer.reject(shown, outcome + kept)
        for copy in copies:  # not "read once": a copy cannot be read either
            writer.result.failures = [(p, r) for p, r in writer.result.failures if p != copy]
            writer.reject(copy, f"the same file as {shown}, which cannot be used: {outcome}")
        return
    # a stored version that was itself read badly (its notes) is no measure of a new one that
    # reads better: the good copy its notes asked for replaces it
    if (
        previous
        and previous != outcome.id
        and not accept_worse
        and len(outcome.notes) >= store.note_count(previous)
    ):
        worse = worse_reading(store.item_count(previous), store.item_texts(previous), outcome)
        if worse:
            writer.result.kept.append(shown)
            writer.reject(
                shown,
                f"it changed and now reads worse ({worse} in the version stored "
                f"{(store.built_at(previous) or '')[:10]}): the stored rows are kept; if the file is damaged, "
                "re-download it; if the new version is right, build with --accept-worse",
            )
            return
    writer.add(shown, outcome, copies)


def reject(store: Store, result: BuildResult, path: str, reason: str) -> None:
    result.failures.append((path, reason))
    store.add_problem(path, reason)


def list_notes(store: Store, result: BuildResult) -> None:
    """Every stored file's notes as its problem row, on every build, whether or not the file was
    read again: its pages that read badly, then its sections read as empty."""
    for path, notes, unread in store.document_notes():
        reason = "; ".join(([notes_reason(notes)] if notes else []) + unread)
        store.add_problem(path, reason)
        if notes:
            result.noted.append((path, reason))
        if unread:
            result.unread.append((path, reason))
