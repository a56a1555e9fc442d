"""`evidence build`: find documents, extract the new and changed ones, store them, link.

The one boundary where a document's failure is caught: whatever goes wrong with one file
becomes one line in `problems` and in the summary, and the build goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract import EXTRACTOR_VERSION
from extract.errors import DocumentError
from extract.pipeline import document_id, extract_file
from extract.records import Extraction

from .journey import refresh_journeys
from .linking import link_store
from .store import Store

# Files in a corpus folder that describe it rather than being documents of it.
IGNORED_NAMES = ("readme", "sources", "licence", "license", "changelog")

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

    @property
    def usable(self) -> bool:
        """Something could be done: a document stored now or before."""
        return self.counts.get("documents", 0) > 0


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
        if root.is_file():
            yield stored_path(root)
            continue
        if not root.exists():
            raise DocumentError(str(root), "no such file or folder")
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


def safe_extract(path: str) -> Extraction | str:
    """Extract one file; a failure comes back as the one-line reason a user reads."""
    try:
        return extract_file(path)
    except DocumentError as exc:
        return exc.reason
    except Exception as exc:  # noqa: BLE001 - the per-document boundary: a bug must not stop the build
        return f"could not be read ({type(exc).__name__}: {exc}); please report this file"


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(
    paths: Iterable[str | Path],
    db_path: str | Path,
    workers: int = 1,
    progress: ProgressFn | None = None,
    files: list[str] | None = None,
    executor: str = "process",
    scheduler: str | None = None,
) -> BuildResult:
    """Build the store at `db_path` from the documents under `paths`. `files`, when the caller
    has already listed them with `find_files` (to size a progress bar), saves a second walk.
    `executor` "dask" extracts on a Dask cluster (the one at `scheduler`, else one started on
    this machine with `workers` processes) instead of this machine's worker processes."""
    roots = [Path(p) for p in paths]
    store = Store(db_path)
    result = BuildResult()
    try:
        store.clear_problems()
        files = list(dict.fromkeys(files if files is not None else find_files(roots, db_path)))
        result.found = len(files)
        todo = plan(store, files, result, progress)
        remove_missing(store, roots, set(files), result)
        for path, outcome in extractions(todo, workers, executor, scheduler):
            if progress:
                progress(path)
            if not isinstance(outcome, str):
                outcome = store_extraction(store, path, outcome)
            if isinstance(outcome, str):
                reject(store, result, path, outcome)
            else:
                result.extracted.append(path)
        result.disagreements = link_store(store)
        refresh_journeys(store)
        result.counts = store.counts()
    finally:
        store.close()
    return result


def store_extraction(store: Store, path: str, extraction: Extraction) -> Extraction | str:
    """Write one document; a failure to store it is that document's failure alone (its
    transaction is rolled back, so its old rows, if any, stay)."""
    try:
        store.write_extraction(path, extraction)
    except Exception as exc:  # noqa: BLE001 - the per-document boundary, as in safe_extract
        return f"could not be stored ({type(exc).__name__}: {exc}); please report this file"
    return extraction


def plan(
    store: Store, files: list[str], result: BuildResult, progress: ProgressFn | None = None
) -> list[str]:
    """The files that need extracting; unchanged ones (same bytes, same extractor) are skipped,
    and a second copy of a file is listed as such rather than stored twice."""
    stored = {row["sha256"]: row for row in store.top_documents()}
    building = set(files)
    first_seen: dict[str, str] = {}
    todo = []
    for path in files:
        if needs_extracting(store, path, stored, building, first_seen, result):
            todo.append(path)
        elif progress:
            progress(path)
    return todo


def needs_extracting(
    store: Store,
    path: str,
    stored: dict[str, dict[str, Any]],
    building: set[str],
    first_seen: dict[str, str],
    result: BuildResult,
) -> bool:
    try:
        digest = sha256_file(path)
    except OSError as exc:
        reject(store, result, path, f"cannot be read: {exc.strerror}")
        return False
    row = stored.get(digest)
    original = first_seen.get(digest) or (
        row["path"] if row and row["path"] != path and row["path"] in building else None
    )
    if original:
        reject(store, result, path, f"the same file as {original}: skipped")
        return False
    first_seen[digest] = path
    if row and row["extractor_version"] == EXTRACTOR_VERSION:
        if row["path"] != path:  # moved: same bytes, new place
            store.move_document(document_id(digest), path)
        result.unchanged.append(path)
        return False
    return True


def reject(store: Store, result: BuildResult, path: str, reason: str) -> None:
    result.failures.append((path, reason))
    store.add_problem(path, reason)


def remove_missing(store: Store, roots: list[Path], files: set[str], result: BuildResult) -> None:
    """Forget documents whose file is gone from a folder being built."""
    folders = [Path(stored_path(r)) for r in roots if r.is_dir()]
    for row in store.top_documents():
        path = row["path"]
        if path in files or Path(path).exists():
            continue
        if any(folder in Path(path).parents for folder in folders):
            store.remove_path(path)
            result.removed.append(path)


def extractions(
    paths: list[str], workers: int, executor: str, scheduler: str | None
) -> Iterator[tuple[str, Extraction | str]]:
    if executor == "dask":
        from .cluster import run_on_dask

        return run_on_dask(paths, workers, scheduler)
    return run(paths, workers)


def run(paths: list[str], workers: int) -> Iterator[tuple[str, Extraction | str]]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, safe_extract(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(paths, pool.map(safe_extract, paths), strict=True)
