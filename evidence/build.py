"""`evidence build`: find documents, extract the new and changed ones, store them, link.

The one boundary where a document's failure is caught: whatever goes wrong with one file
becomes one line in `problems` and in the summary, and the build goes on.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from extract import EXTRACTOR_VERSION
from extract.errors import DocumentError
from extract.pipeline import document_id, extract_file
from extract.records import Extraction

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


def find_files(paths: Iterable[str | Path]) -> Iterator[str]:
    for root in paths:
        root = Path(root)
        if root.is_file():
            yield display_path(root)
            continue
        if not root.exists():
            raise DocumentError(str(root), "no such file or folder")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            for name in sorted(filenames):
                if name.startswith(".") or Path(name).stem.lower() in IGNORED_NAMES:
                    continue
                yield display_path(Path(dirpath) / name)


def display_path(path: Path) -> str:
    """Paths are stored relative to where the build runs when they are below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


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
) -> BuildResult:
    roots = [Path(p) for p in paths]
    store = Store(db_path)
    result = BuildResult()
    try:
        store.clear_problems()
        files = list(dict.fromkeys(find_files(roots)))
        result.found = len(files)
        todo = plan(store, files, result, progress)
        remove_missing(store, roots, set(files), result)
        for path, outcome in run(todo, workers):
            if progress:
                progress(path)
            if not isinstance(outcome, str):
                outcome = store_extraction(store, path, outcome)
            if isinstance(outcome, str):
                result.failures.append((path, outcome))
                store.add_problem(path, outcome)
            else:
                result.extracted.append(path)
        result.disagreements = link_store(store)
        result.counts = store.counts()
    finally:
        store.close()
    return result


def store_extraction(store: Store, path: str, extraction: Extraction) -> Extraction | str:
    """Write one document; a failure to store it is that document's failure alone (its
    transaction is rolled back, so its old rows, if any, stay)."""
    try:
        store.write_extraction(path, extraction)
    except sqlite3.Error as exc:
        return f"could not be stored ({exc}); please report this file"
    return extraction


def plan(
    store: Store, files: list[str], result: BuildResult, progress: ProgressFn | None = None
) -> list[str]:
    """The files that need extracting; unchanged ones (same bytes, same extractor) are skipped."""
    stored = {row["sha256"]: row for row in store.top_documents()}
    todo = []
    for path in files:
        try:
            digest = sha256_file(path)
        except OSError as exc:
            reason = f"cannot be read: {exc.strerror}"
            result.failures.append((path, reason))
            store.add_problem(path, reason)
            continue
        row = stored.get(digest)
        if row and row["extractor_version"] == EXTRACTOR_VERSION:
            if row["path"] != path:
                if Path(row["path"]).exists() and row["path"] in files:
                    reason = f"the same file as {row['path']}, which is already stored: skipped"
                    result.failures.append((path, reason))
                    store.add_problem(path, reason)
                    continue
                store.move_document(document_id(digest), path)
            result.unchanged.append(path)
            if progress:
                progress(path)
        else:
            todo.append(path)
    return todo


def remove_missing(store: Store, roots: list[Path], files: set[str], result: BuildResult) -> None:
    """Forget documents whose file is gone from a folder being built."""
    resolved_roots = [r.resolve() for r in roots if r.is_dir()]
    for row in store.top_documents():
        path = row["path"]
        if path in files or Path(path).exists():
            continue
        absolute = Path(path).resolve()
        if any(root == absolute or root in absolute.parents for root in resolved_roots):
            store.remove_path(path)
            result.removed.append(path)


def run(paths: list[str], workers: int) -> Iterator[tuple[str, Extraction | str]]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, safe_extract(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(paths, pool.map(safe_extract, paths), strict=True)
