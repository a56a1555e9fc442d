"""Extraction in worker processes that end with their build, one file at a time limit.

A worker must not outlive its build (a `kill -9` of the build would otherwise leave it
waiting for work for ever), a worker that dies must cost only its file, and a file that
sends a parser round for ever must not hold the build up.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from extract.errors import DocumentError
from extract.pipeline import extract_file
from extract.records import Extraction

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


def run(paths: list[str], workers: int) -> Iterator[tuple[str, Extraction | str]]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, safe_extract(path)
        return
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            for path, outcome in zip(paths, pool.map(safe_extract, paths), strict=True):
                yield path, outcome
                done += 1
    except BrokenProcessPool:
        # a worker died (killed for its memory, or a crash in the PDF library): which file
        # did it is not known, so the rest are read one at a time, each in a process of its own
        for path in paths[done:]:
            yield path, isolated_extract(path)


def isolated_extract(path: str) -> Extraction | str:
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            return pool.submit(safe_extract, path).result()
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
