"""Extraction in worker processes that end with their build, one file at a time limit.

A worker must not outlive its build (a `kill -9` of the build would otherwise leave it
waiting for work for ever), a worker that dies must cost only its file, and a file that
sends a parser round for ever must not hold the build up.

What can be done per file is done in the workers, so the build's main process only writes
and links: a worker hands back a file's rows ready to store and the linker's readings of its
texts (see `Prepared`). The same workers then link the authority blocks (see `Pool.map`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from extract.errors import DocumentError
from extract.pipeline import extract_file
from extract.records import Extraction
from link.linker import texts_to_read
from link.text import forget, normaliser, readings_of

from ..store import Prepared

# How often a worker checks that its build is still there, where the system cannot be asked
# to end it with its parent (Linux's PR_SET_PDEATHSIG does that at once).
PARENT_CHECK_SECONDS = 1.0
# The longest one file may take to read: a 300-page pack takes ~10 s; past this a file that
# sends a parser round for ever is stopped and rejected instead of holding up the build.
FILE_TIME_LIMIT = 300.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>: a constant of the system, not a setting


def safe_extract(path: str) -> Extraction | str:
    """Extract one file; a failure comes back as the one-line reason a user reads."""
    try:
        with time_limit(FILE_TIME_LIMIT):
            return extract_file(path)
    except DocumentError as exc:
        return exc.reason
    except TookTooLong:
        return (
            f"reading it took more than {FILE_TIME_LIMIT:.0f} s and was stopped (a damaged or unusual file): "
            "re-save it as PDF or text, or split it; if it looks ordinary, please report this file"
        )
    except RecursionError:
        return (
            "the file is nested too deeply to be read (a damaged or unusual file): re-save it as PDF or text"
        )
    except MemoryError:
        return "the file needs more memory than this machine has to be read: split it into its documents"
    except Exception as exc:  # noqa: BLE001 - the per-document boundary: a bug must not stop the build
        return f"could not be read ({type(exc).__name__}: {exc}); please report this file"


def safe_prepare(path: str) -> Prepared | str:
    """Extract one file (see `safe_extract`) and make its rows and readings."""
    outcome = safe_extract(path)
    if isinstance(outcome, str):
        return outcome
    prepared = Prepared.of(outcome)
    prepared.readings = read_texts(prepared)
    return prepared


def read_texts(prepared: Prepared) -> list[dict[str, Any]]:
    """The linker's readings of a file's texts, as rows of `readings`. A failure here costs
    only speed: the texts are read again when they are linked."""
    try:
        key = normaliser()
        return [
            {"document_id": document, "text": text, "words": words, "head": head, "normaliser": key}
            for document, texts in texts_to_read(prepared.documents, prepared.tables).items()
            for text, words, head in readings_of(texts)
        ]
    except Exception:  # noqa: BLE001 - never the file's failure: linking reads what is missing
        return []
    finally:
        forget()


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop what runs inside after `seconds` (between two steps of Python: a call into pdfium
    runs to its end first). Only in a main thread with SIGALRM; elsewhere no limit."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Pool:
    """The build's worker processes, started when first needed and ended with the build:
    they extract the files, then link the authority blocks."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.broken = False

    def __enter__(self) -> Pool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            self.executor = None

    def started(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers, initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return self.executor

    def extract(self, paths: list[str]) -> Iterator[tuple[str, Prepared | str]]:
        """(path, its rows or the one-line reason it failed), in the order of `paths`."""
        if self.workers <= 1 or len(paths) <= 1 or self.broken:
            for path in paths:
                yield path, safe_prepare(path)
            return
        done = 0
        try:
            for path, outcome in zip(paths, self.started().map(safe_prepare, paths), strict=True):
                yield path, outcome
                done += 1
        except BrokenProcessPool:
            # a worker died (killed for its memory, or a crash in the PDF library): which file
            # did it is not known, so the rest are read one at a time, each in a process of its own
            self.broken = True
            for path in paths[done:]:
                yield path, isolated_extract(path)

    def map(self, func: Callable[[Any], Any], tasks: list[Any]) -> list[Any]:
        """`func` over `tasks` in the workers, the results in order; here, one after another,
        when there is one worker or the pool broke (a worker that dies costs time, not results)."""
        if self.workers > 1 and not self.broken:
            try:
                return list(self.started().map(func, tasks))
            except BrokenProcessPool:
                self.broken = True
        return [func(task) for task in tasks]


def run(paths: list[str], workers: int) -> Iterator[tuple[str, Prepared | str]]:
    with Pool(workers) as pool:
        yield from pool.extract(paths)


def isolated_extract(path: str) -> Prepared | str:
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            return pool.submit(safe_prepare, path).result()
    except BrokenProcessPool:
        return (
            "the reader died on this file (out of memory, or a crash in the PDF library): "
            "re-download it or re-save it from a PDF viewer; if it is very large, split it"
        )


def die_with_parent(parent: int) -> None:
    """Run in each worker as it starts: a worker must not outlive its build (a `kill -9` of
    the build would otherwise leave it waiting for work for ever)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # the watcher below still ends it
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()


def watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
