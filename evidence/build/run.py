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
from extract.errors import DocumentError, EvidenceError
from extract.load import printable, real_path, sha256_file

from ..journeys import refresh_journeys
from ..store import Prepared, Store, damaged_file
from ..store.lock import lock_holder
from .cluster import EXECUTORS
from .linking import link_store
from .result import BuildResult
from .workers import Pool
from .writer import Writer, list_notes, reject, store_one

# Files in a corpus folder that describe it rather than being documents of it.
IGNORED_NAMES = ("readme", "sources", "licence", "license", "changelog")
NOT_A_PAPER = (
    "a README, SOURCES, LICENCE or CHANGELOG file describes a folder of papers and is not read as one; "
    "if it really is a council paper or an inspection report, rename it"
)
ProgressFn = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs (the options of `evidence build`)."""

    workers: int = 1
    # called with each file's path as it is done (a progress bar)
    progress: ProgressFn | None = None
    # the files, when the caller has listed them with `find_files` (to size a progress bar)
    files: list[str] | None = None
    # store a changed file even when it gives fewer rows than the stored version
    accept_worse: bool = False
    # "dask": extract on a Dask cluster (the one at `scheduler`, else one started on this
    # machine with `workers` processes) instead of this machine's worker processes
    executor: str = "process"
    scheduler: str | None = None
    # told, in a line, when the build has to wait for another one to finish
    notice: ProgressFn | None = None

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise EvidenceError(f"workers={self.workers}: a build needs at least one worker")
        if self.executor not in EXECUTORS:
            raise EvidenceError(f"executor={self.executor!r}: give one of {', '.join(EXECUTORS)}")


@dataclass
class Run:
    """One build under way: its store, what it was asked, what it has done."""

    store: Store
    build_id: int
    roots: list[Path]
    db_path: str | Path
    options: BuildOptions
    result: BuildResult = field(default_factory=BuildResult)


@dataclass
class Plan:
    """What a build has to read: the files to extract, and for each the places in this build
    that hold the same bytes (stored as further places of its document); with what it knows
    while it decides: the stored documents by their bytes, the folders being built (real
    paths), and where each file's bytes were first seen."""

    paths: list[str] = field(default_factory=list)
    copies: dict[str, list[str]] = field(default_factory=dict)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    inside: list[str] = field(default_factory=list)
    first_seen: dict[str, str] = field(default_factory=dict)


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


def build(
    paths: Iterable[str | Path], db_path: str | Path, options: BuildOptions | None = None
) -> BuildResult:
    """Build the store at `db_path` from the documents under `paths`."""
    options = options or BuildOptions()
    roots = [Path(p) for p in paths]
    new_store = not Path(db_path).exists()
    store = Store(db_path)
    try:
        say_if_waiting(store, db_path, options.notice)
        run = Run(
            store, store.begin_build([printable(stored_path(r)) for r in roots]), roots, db_path, options
        )
        try:
            # the workers extract, then link; on a Dask cluster only extraction is sent away
            with Pool(options.workers if options.executor == "process" else 1) as pool:
                say_if_waiting(store, db_path, options.notice)
                build_into(run, extractor(pool, options), pool)
        except Exception as exc:
            # rolled back: the store is the last build's; the next build need not say it was stopped
            with contextlib.suppress(sqlite3.Error):
                store.end_build(run.build_id, "failed", f"{type(exc).__name__}: {exc}")
            raise
    except sqlite3.DatabaseError as exc:
        raise damaged_file(db_path, str(exc)) from None
    finally:
        store.close()
        if new_store and not run.result.usable:
            forget_new_store(db_path)
    return run.result


def forget_new_store(db_path: str | Path) -> None:
    """A store this build made and put nothing in is removed: an empty file that looks like a
    finished build helps nobody (a store that was there before is left as it was)."""
    for end in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db_path}{end}").unlink()


def say_if_waiting(store: Store, db_path: str | Path, notice: ProgressFn | None) -> None:
    """Tell `notice` when another build holds the store, before waiting for it."""
    holder = lock_holder(store) if notice else None
    if notice and holder:
        notice(
            f"Waiting for {holder} to finish writing {db_path}: builds of one store run one after "
            "the other (stop this one with Ctrl+C)"
        )


Extractor = Callable[[list[str]], Iterator[tuple[str, Prepared | str]]]


def extractor(pool: Pool, options: BuildOptions) -> Extractor:
    """How files are extracted: this machine's worker processes, or a Dask cluster."""
    if options.executor == "dask":
        from .cluster import run_on_dask

        return lambda paths: run_on_dask(paths, options.workers, options.scheduler)
    return pool.extract


def build_into(run: Run, extract: Extractor, pool: Pool) -> None:
    """The build's work: one transaction from the first change to the last link."""
    store, result, options = run.store, run.result, run.options
    with store.transaction(immediate=True):
        result.interrupted = store.interrupted_builds()
        result.repaired = store.repair(search=False)
        store.clear_problems()
        found = options.files if options.files is not None else find_files(run.roots, run.db_path)
        files = list(dict.fromkeys(found))
        result.found = len(files)
        todo = plan(store, files, run.roots, result, options.progress)
        remove_missing(store, run.roots, files, result)
        writer = Writer(store, result)
        for path, outcome in extract(todo.paths):
            if options.progress:
                options.progress(path)
            store_one(writer, path, outcome, todo.copies.get(path, []), options.accept_worse)
        writer.flush()
        list_notes(store, result)  # what a person should know of every stored file
        result.disagreements = link_store(store, pool)
        refresh_journeys(store)
        result.counts = store.counts()
        # a build that found nothing to store says so in its record, not "finished"
        store.end_build(run.build_id, "finished" if result.usable else "nothing usable", result.summary())


def plan(
    store: Store,
    files: list[str],
    roots: list[Path],
    result: BuildResult,
    progress: ProgressFn | None = None,
) -> Plan:
    """The files that need extracting; unchanged ones (same bytes, same extractor) are skipped,
    and a second copy of a file is listed as such rather than stored twice."""
    todo = Plan(
        stored={row["sha256"]: row for row in store.top_documents()},
        inside=[os.path.realpath(r) for r in roots if r.is_dir()],
    )
    for path in files:
        if needs_extracting(store, path, todo, result):
            todo.paths.append(path)
        elif progress:
            progress(path)
    return todo


def needs_extracting(store: Store, path: str, todo: Plan, result: BuildResult) -> bool:
    shown = printable(path)
    if Path(path).name.lower().startswith(IGNORED_NAMES):
        # named on the command line (in a folder such a file is skipped): it describes papers, it is not one
        reject(store, result, shown, NOT_A_PAPER)
        return False
    try:
        leaves_folder(path, todo.inside)
        digest = sha256_file(path)
    except DocumentError as exc:
        reject(store, result, shown, exc.reason)
        return False
    row = todo.stored.get(digest)
    current = row is not None and row["extractor_version"] == EXTRACTOR_VERSION
    original = todo.first_seen.get(digest)
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
    todo.first_seen[digest] = path
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
