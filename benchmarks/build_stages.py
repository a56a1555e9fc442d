"""The whole `evidence build` by stage, beside pypdfium2 text extraction of the same files.

    python benchmarks/build_stages.py [FOLDER ...] [--workers 2]

Default folders: ../shared/corpus/ofsted-more and ../shared/corpus/letters. Prints the wall
time, the CPU the workers spent extracting, and the main process's own time in each stage:
finding and hashing the files, storing rows, linking and the journeys; then what plain
single-process pypdfium2 text extraction of the same files takes, and the time the build
would take with 4, 8 and 16 workers, projected from its measured serial and parallel parts
(Amdahl: the main process's work stays, the workers' CPU divides). Peak memory of the main
process and of one worker is printed too.

A script that prints figures, not a test: speed goals are read here, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_FOLDERS = (SHARED / "ofsted-more", SHARED / "letters")
PROJECTED_WORKERS = (4, 8, 16)

spent: dict[str, float] = defaultdict(float)


def timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, adding the main process's wall time in it to `stage`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - start

    return wrapper


def timed_iterator(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A generator function whose every step counts to `stage`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        iterator = iter(func(*args, **kwargs))
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                spent[stage] += time.perf_counter() - start
                return
            spent[stage] += time.perf_counter() - start
            yield item

    return wrapper


def instrument() -> None:
    """Wrap the stages the build's main process runs, where build.py looks them up."""
    import evidence.build as build_module
    from evidence.store import Store

    build_module.find_files = timed_iterator("discovery", build_module.find_files)  # type: ignore[assignment]
    build_module.sha256_file = timed("hashing", build_module.sha256_file)  # type: ignore[attr-defined]
    build_module.link_store = timed("linking", build_module.link_store)  # type: ignore[assignment]
    build_module.refresh_journeys = timed("journeys", build_module.refresh_journeys)  # type: ignore[assignment]
    Store.write_extraction = timed("storing", Store.write_extraction)  # type: ignore[method-assign]


def pdfs_of(folders: list[Path]) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.rglob("*.pdf"))]


def pypdfium2_text(files: list[Path]) -> tuple[float, int]:
    import pypdfium2 as pdfium

    start, pages = time.perf_counter(), 0
    for path in files:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue
        for page in pdf:
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return time.perf_counter() - start, pages


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folders = [f for f in args.folders if f.is_dir()]
    if not folders:
        sys.exit(f"none of {', '.join(map(str, args.folders))} is a folder: pass the folders to build")

    instrument()
    from evidence.build import build

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stages.db"
        main_cpu, workers_cpu = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = build(folders, db, workers=args.workers)
        wall = time.perf_counter() - start
        main_cpu = cpu(resource.RUSAGE_SELF) - main_cpu
        workers_cpu = cpu(resource.RUSAGE_CHILDREN) - workers_cpu
        stages = dict(spent)
        spent.clear()
        start = time.perf_counter()
        build(folders, db, workers=args.workers)
        unchanged = time.perf_counter() - start

    text_time, pages = pypdfium2_text(pdfs_of(folders))
    serial = sum(stages.values())
    print(f"Build of {', '.join(str(f) for f in folders)}: {result.found} files, {pages} PDF pages")
    print(f"  workers                      {args.workers}")
    print(f"  wall time                    {wall:7.1f} s   ({pages / wall:5.0f} pages/s)")
    print(f"  workers' CPU (extraction)    {workers_cpu:7.1f} s")
    print(f"  main process CPU             {main_cpu:7.1f} s")
    for stage in ("discovery", "hashing", "storing", "linking", "journeys"):
        share = stages.get(stage, 0.0) / wall if wall else 0.0
        print(f"    {stage:<26} {stages.get(stage, 0.0):7.1f} s   ({share:5.1%} of wall)")
    print(f"  main process's own stages    {serial:7.1f} s   ({serial / wall if wall else 0:5.1%} of wall)")
    print(f"  unchanged rebuild            {unchanged:7.1f} s")
    print(
        f"pypdfium2 text, one process    {text_time:7.1f} s   ({pages / text_time if text_time else 0:5.0f} pages/s)"
    )
    print(f"  build speed / pypdfium2      {text_time / wall if wall else 0:7.2f}")
    print("Projected wall time (main process's stages + workers' CPU / N):")
    for n in PROJECTED_WORKERS:
        projected = serial + workers_cpu / n
        print(f"  {n:>2} workers                   {projected:7.1f} s   (speed-up {wall / projected:4.1f}x)")
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"Peak memory: main process {main_peak:.0f} MB, largest worker {worker_peak:.0f} MB")


if __name__ == "__main__":
    main()
