"""`evidence build`: find documents, extract the new and changed ones, store them, link.

The one boundary where a document's failure is caught: whatever goes wrong with one file
becomes one line in `problems` and in the summary, and the build goes on.

A build is one unit: it writes the store in one transaction (see `Store.transaction`), so a
reader, or the next build after a `kill -9`, finds the last finished build or this one whole.
Its worker processes end with it, even when it is killed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract import EXTRACTOR_VERSION
from extract.errors import DocumentError
from extract.load import printable, real_path, sha256_file
from extract.quality import notes_reason, reading_of_texts, reads_worse_in_words

from ..journeys import refresh_journeys
from .linking import link_store
from ..store.lock import lock_holder
from ..store import Pending, Prepared, Store, damaged_file, now
from .workers import Pool

# Files in a corpus folder that describe it rather than being documents of it.
IGNORED_NAMES = ("readme", "sources", "licence", "license", "changelog")
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

ProgressFn = Callable[[str], None]


@dataclass
class BuildResult:
    found: int = 0
    extracted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # files whose stored rows were kept because their new version reads worse
    kept: list[str] = field(default_factory=list)
    # when each earlier build that was stopped before it finished had started
    interrupted: list[str] = field(default_factory=list)
    # what was mended in the store before building (a hand edit, an older version)
    repaired: list[str] = field(default_factory=list)
    # (path, what a person should know) of files stored with pages that read badly
    noted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Something could be done: a document stored now or before."""
        return self.counts.get("documents", 0) > 0

    def notes(self) -> list[str]:
        """What the build found to say about the store before its own work."""
        lines = [
            f"The build started {started} did not finish (it was stopped): nothing of it was kept, "
            "and this build did its work."
            for started in self.interrupted
        ]
        return lines + [f"Repaired the store: {done}." for done in self.repaired]

    def summary(self) -> str:
        return (
            f"{self.found} files: {len(self.extracted)} extracted, {len(self.unchanged)} unchanged, "
            f"{len(self.failures)} rejected" + (f", {len(self.removed)} removed" if self.removed else "")
        )


@dataclass
class Plan:
    """What a build has to read: the files to extract, and for each the places in this build
    that hold the same bytes (stored as further places of its document)."""

    paths: list[str] = field(default_factory=list)
    copies: dict[str, list[str]] = field(default_factory=dict)


def find_files(paths: Iterable[str | Path], db_path: str | Path | None = None) -> Iterator[str]:
    """Every document under `paths`, as an absolute path (links are not followed to their
    targets: a file is known by where the user put it). The store itself is skipped."""
    own = (
        {stored_path(Path(f"{db_path}{end}")) for end in ("", "-journal", "-wal", "-shm")}
        if db_path
        else set()
    )
    for root in paths:
        root = Path(root)
        if not root.is_dir():
            if not (root.exists() or root.is_symlink()):
                raise DocumentError(printable(str(root)), "no such file or folder")
            yield stored_path(root)  # named by the user: read (or refused) whatever it is
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            for name in sorted(filenames):
                path = stored_path(Path(dirpath) / name)
                if name.startswith(".") or name.lower().startswith(IGNORED_NAMES) or path in own:
                    continue
                yield path


def stored_path(path: Path) -> str:
    """Absolute, so a build from another folder names the same file the same way."""
    return os.path.normpath(os.path.abspath(path))


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
    return None


def build(
    paths: Iterable[str | Path],
    db_path: str | Path,
    workers: int = 1,
    progress: ProgressFn | None = None,
    files: list[str] | None = None,
    accept_worse: bool = False,
    executor: str = "process",
    scheduler: str | None = None,
    notice: ProgressFn | None = None,
) -> BuildResult:
    """Build the store at `db_path` from the documents under `paths`. `files`, when the caller
    has already listed them with `find_files` (to size a progress bar), saves a second walk.
    `accept_worse` stores a changed file even when it gives fewer rows than the stored version.
    `executor` "dask" extracts on a Dask cluster (the one at `scheduler`, else one started on
    this machine with `workers` processes) instead of this machine's worker processes.
    `notice` is told, in a line, when the build has to wait for another one to finish."""
    roots = [Path(p) for p in paths]
    store = Store(db_path)
    result = BuildResult()
    try:
        say_if_waiting(store, db_path, notice)
        build_id = store.begin_build([printable(stored_path(r)) for r in roots])
        try:
            # the workers extract, then link; on a Dask cluster only extraction is sent away
            with Pool(workers if executor == "process" else 1) as pool:
                extract = extractor(pool, workers, executor, scheduler)
                say_if_waiting(store, db_path, notice)
                build_into(
                    store, build_id, roots, db_path, result, extract, pool, progress, files, accept_worse
                )
        except Exception as exc:
            # rolled back: the store is the last build's; the next build need not say it was stopped
            with contextlib.suppress(sqlite3.Error):
                store.end_build(build_id, "failed", f"{type(exc).__name__}: {exc}")
            raise
    except sqlite3.DatabaseError as exc:
        raise damaged_file(db_path, str(exc)) from None
    finally:
        store.close()
    return result


def say_if_waiting(store: Store, db_path: str | Path, notice: ProgressFn | None) -> None:
    """Tell `notice` when another build holds the store, before waiting for it."""
    holder = lock_holder(store) if notice else None
    if notice and holder:
        notice(
            f"Waiting for {holder} to finish writing {db_path}: builds of one store run one after "
            "the other (stop this one with Ctrl+C)"
        )


Extractor = Callable[[list[str]], Iterator[tuple[str, Prepared | str]]]


def extractor(pool: Pool, workers: int, executor: str, scheduler: str | None) -> Extractor:
    """How files are extracted: this machine's worker processes, or a Dask cluster."""
    if executor == "dask":
        from .cluster import run_on_dask

        return lambda paths: run_on_dask(paths, workers, scheduler)
    return pool.extract


def build_into(
    store: Store,
    build_id: int,
    roots: list[Path],
    db_path: str | Path,
    result: BuildResult,
    extract: Extractor,
    pool: Pool,
    progress: ProgressFn | None,
    files: list[str] | None,
    accept_worse: bool,
) -> None:
    """The build's work: one transaction from the first change to the last link."""
    with store.transaction(immediate=True):
        result.interrupted = store.interrupted_builds()
        result.repaired = store.repair(search=False)
        store.clear_problems()
        files = list(dict.fromkeys(files if files is not None else find_files(roots, db_path)))
        result.found = len(files)
        todo = plan(store, files, roots, result, progress)
        remove_missing(store, roots, files, result)
        writer = Writer(store, result)
        for path, outcome in extract(todo.paths):
            if progress:
                progress(path)
            store_one(writer, path, outcome, todo.copies.get(path, []), accept_worse)
        writer.flush()
        result.disagreements = link_store(store, pool)
        refresh_journeys(store)
        result.counts = store.counts()
        store.end_build(build_id, "finished", result.summary())


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
        """A file is stored: say what a person should know of its pages (see `extract.quality`)."""
        self.result.extracted.append(item.path)
        if item.prepared.notes:
            reason = notes_reason(item.prepared.notes)
            self.result.noted.append((item.path, reason))
            self.store.add_problem(item.path, reason)

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
    if previous and previous != outcome.id and not accept_worse:
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


def plan(
    store: Store,
    files: list[str],
    roots: list[Path],
    result: BuildResult,
    progress: ProgressFn | None = None,
) -> Plan:
    """The files that need extracting; unchanged ones (same bytes, same extractor) are skipped,
    and a second copy of a file is listed as such rather than stored twice."""
    stored = {row["sha256"]: row for row in store.top_documents()}
    inside = [os.path.realpath(r) for r in roots if r.is_dir()]
    first_seen: dict[str, str] = {}
    todo = Plan()
    for path in files:
        if needs_extracting(store, path, stored, inside, first_seen, todo, result):
            todo.paths.append(path)
        elif progress:
            progress(path)
    return todo


def needs_extracting(
    store: Store,
    path: str,
    stored: dict[str, dict[str, Any]],
    inside: list[str],
    first_seen: dict[str, str],
    todo: Plan,
    result: BuildResult,
) -> bool:
    shown = printable(path)
    try:
        leaves_folder(path, inside)
        digest = sha256_file(path)
    except DocumentError as exc:
        reject(store, result, shown, exc.reason)
        return False
    row = stored.get(digest)
    current = row is not None and row["extractor_version"] == EXTRACTOR_VERSION
    original = first_seen.get(digest)
    if original:
        if current and row:
            store.set_path(shown, row["id"])
        else:
            todo.copies.setdefault(original, []).append(shown)
        reject(
            store,
            result,
            shown,
            f"the same file as {printable(original)}: read once, and known at both places "
            "(remove one if the copy is not wanted)",
        )
        return False
    first_seen[digest] = path
    if current and row:
        store.set_path(shown, row["id"])  # the same bytes, found (also) here
        result.unchanged.append(shown)
        return False
    return True


def leaves_folder(path: str, inside: list[str]) -> None:
    """A link out of the folders being built is not followed: the build reads what the user
    put in them, never /etc/passwd or a device by way of a link."""
    if not inside or not os.path.islink(path):
        return
    target = os.path.realpath(path)
    if not any(target == folder or target.startswith(folder.rstrip(os.sep) + os.sep) for folder in inside):
        raise DocumentError(
            path,
            f"this is a link to {printable(target)}, outside the folders being built, and is not followed: "
            "copy the file into the folder, or build the folder it is in",
        )


def reject(store: Store, result: BuildResult, path: str, reason: str) -> None:
    result.failures.append((path, reason))
    store.add_problem(path, reason)


def remove_missing(store: Store, roots: list[Path], files: list[str], result: BuildResult) -> None:
    """Forget the places, in a folder being built, where a file is gone. A document whose last
    place is gone loses its rows; one also found elsewhere (a copy in another folder) stays."""
    folders = [Path(printable(stored_path(r))) for r in roots if r.is_dir()]
    found = {printable(f) for f in files}
    for place in store.paths():
        if place in found or Path(real_path(place)).exists():
            continue
        if any(folder in Path(place).parents for folder in folders) and store.forget_path(place):
            result.removed.append(place)


def doctor(db_path: str | Path) -> list[str]:
    """Check the store and mend it: SQLite's own check of the file (a damaged file cannot be
    mended and is reported with what to do), builds that were stopped, rows whose document is
    gone, links and journey events naming rows that are gone, search indexes out of step.
    Links and journeys are worked out again after any repair. Returns one line per finding."""
    store = Store(db_path)
    try:
        store.check_file()
        return repair_store(store, db_path)
    except sqlite3.DatabaseError as exc:
        raise damaged_file(db_path, str(exc)) from None
    finally:
        store.close()


def repair_store(store: Store, db_path: str | Path) -> list[str]:
    """`doctor`'s repairs, in one transaction, links and journeys worked out again after any."""
    with store.transaction(immediate=True):
        stopped = store.interrupted_builds()
        lines = [
            f"The build started {started} did not finish (it was stopped): the store is as the build "
            "before it left it; run `evidence build` again to read what it was reading."
            for started in stopped
        ]
        done = store.repair()
        lines += [f"Repaired: {line}." for line in done]
        if done:
            link_store(store)
            refresh_journeys(store)
            lines.append("Links and journeys worked out again.")
        c = store.counts()
    lines.append(
        f"{db_path} is sound: {c['documents']} documents, {c['recommendations']} recommendations, "
        f"{c['links']} links."
    )
    return lines
