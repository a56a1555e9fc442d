"""The whole `evidence build` by stage, beside pypdfium2 text extraction of the same files.

    python benchmarks/build_stages.py [FOLDER ...] [--workers 2] [--share 0.5] [--growth]

Default folders: ../shared/corpus/ofsted-more and ../shared/corpus/letters. Prints the wall
time, the CPU the workers spent extracting (and reading texts for the linker), and the main
process's own time in each stage: finding and hashing the files, storing rows, linking and
the journeys; then what plain single-process pypdfium2 text extraction of the same files
takes, and the time the build would take with 4, 8 and 16 workers, projected from its
measured serial and parallel parts (Amdahl: the main process's work stays, the workers' CPU
divides). Then, each in a new process (as a user runs them): an unchanged rebuild, and
linking and journeys of the whole store. Peak memory of the main process and of the largest
worker is printed too. `--share 0.5` builds every other file only; `--growth` builds half of
the files and then all of them, each in a process of its own, and prints the peak memory of
both side by side (it should stay flat as the collection grows).

A script that prints figures, not a test: speed goals are read here, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
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
    import evidence.build.run as build_module
    from evidence.store import Store

    build_module.find_files = timed_iterator("discovery", build_module.find_files)  # type: ignore[assignment]
    build_module.sha256_file = timed("hashing", build_module.sha256_file)  # type: ignore[attr-defined]
    build_module.link_store = timed("linking", build_module.link_store)  # type: ignore[assignment]
    build_module.refresh_journeys = timed("journeys", build_module.refresh_journeys)  # type: ignore[assignment]
    Store.write_batch = timed("storing", Store.write_batch)  # type: ignore[method-assign]


# Linking and journeys of a whole store, as `evidence build` runs them on an unchanged one.
LINK_ONLY = """
import json, sys, time
from evidence.journeys.journey import refresh_journeys
from evidence.build.linking import link_store
from evidence.store import Store
from evidence.build.workers import Pool
start = time.perf_counter()
store = Store(sys.argv[1])
with Pool(int(sys.argv[2])) as pool, store.transaction():
    opened = time.perf_counter()
    link_store(store, pool)
    linked = time.perf_counter()
    refresh_journeys(store)
done = time.perf_counter()
print(json.dumps({"open": opened - start, "linking": linked - opened, "journeys": done - linked}))
"""


def in_new_process(*args: str) -> tuple[float, str]:
    """Wall time and output of a Python run in a process of its own (no warm caches)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - start, done.stdout


def growth(args: argparse.Namespace) -> None:
    """Half of the files, then all, each in a process of its own: peak memory side by side."""
    peaks = []
    for share in (0.5, 1.0):
        print(f"=== share {share} of the files", flush=True)
        command = [__file__, *map(str, args.folders), "--workers", str(args.workers), "--share", str(share)]
        _, out = in_new_process(*command)
        print(out, end="")
        peaks.append(json.loads(out.strip().splitlines()[-1].removeprefix("peaks ")))
    print("Peak memory as the collection grows (MB):")
    print("  files  pages   main process   largest worker")
    for peak in peaks:
        print(f"  {peak['files']:5d}  {peak['pages']:5d}   {peak['main']:12.0f}   {peak['worker']:14.0f}")


def pdfs_of(files: list[str]) -> list[Path]:
    return [Path(f) for f in files if f.lower().endswith(".pdf")]


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
    parser.add_argument(
        "--share", type=float, default=1.0, help="build this share of the files (every other: 0.5)"
    )
    parser.add_argument(
        "--growth", action="store_true", help="build half the files, then all: peak memory of each"
    )
    args = parser.parse_args()
    args.folders = [f.resolve() for f in args.folders if f.is_dir()]
    if not args.folders:
        sys.exit("none of the folders given is a folder: pass the folders to build")
    if args.growth:
        growth(args)
        return
    folders = args.folders

    instrument()
    from evidence.build import BuildOptions, build, find_files

    every = list(find_files(folders))
    files = every[:: round(1 / args.share)] if args.share < 1 else every
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stages.db"
        main_cpu, workers_cpu = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = build(folders, db, BuildOptions(workers=args.workers, files=files))
        wall = time.perf_counter() - start
        main_cpu = cpu(resource.RUSAGE_SELF) - main_cpu
        workers_cpu = cpu(resource.RUSAGE_CHILDREN) - workers_cpu
        main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stages = dict(spent)
        if args.share < 1:  # the rebuild must find the same files: the others go to a folder of links
            unchanged, linking = None, None
        else:
            unchanged, _ = in_new_process(
                "-c",
                "from evidence.cli import cli; cli()",
                "build",
                *map(str, folders),
                "--db",
                str(db),
                "--workers",
                str(args.workers),
            )
            _, out = in_new_process("-c", LINK_ONLY, str(db), str(args.workers))
            linking = json.loads(out)

    text_time, pages = pypdfium2_text(pdfs_of(files))
    serial = sum(stages.values())
    print(f"Build of {', '.join(str(f) for f in folders)}: {result.found} files, {pages} PDF pages")
    print(f"  workers                      {args.workers}")
    print(f"  wall time                    {wall:7.1f} s   ({pages / wall:5.0f} pages/s)")
    print(f"  workers' CPU (extraction)    {workers_cpu:7.1f} s")
    print(
        f"  main process CPU             {main_cpu:7.1f} s   ({main_cpu / wall if wall else 0:5.1%} of wall)"
    )
    for stage in ("discovery", "hashing", "storing", "linking", "journeys"):
        share = stages.get(stage, 0.0) / wall if wall else 0.0
        print(f"    {stage:<26} {stages.get(stage, 0.0):7.1f} s   ({share:5.1%} of wall)")
    print(f"  main process's own stages    {serial:7.1f} s   ({serial / wall if wall else 0:5.1%} of wall)")
    if unchanged is not None and linking is not None:
        print("In a new process each:")
        print(f"  unchanged rebuild            {unchanged:7.1f} s   (the whole command)")
        both = linking["linking"] + linking["journeys"]
        print(
            f"  linking and journeys         {both:7.1f} s   (linking {linking['linking']:.1f}, "
            f"journeys {linking['journeys']:.1f}; opening the store {linking['open']:.1f})"
        )
    print(
        f"pypdfium2 text, one process    {text_time:7.1f} s   ({pages / text_time if text_time else 0:5.0f} pages/s)"
    )
    print(f"  build speed / pypdfium2      {text_time / wall if wall else 0:7.2f}")
    # The serial part: the main process's CPU (its stages, and taking the workers' results
    # in), or its stages' wall time if that is more (they wait for a core on a busy machine).
    serial_part = max(serial, main_cpu)
    print(f"Projected wall time (main process's {serial_part:.1f} s + workers' CPU / N):")
    for n in PROJECTED_WORKERS:
        projected = serial_part + workers_cpu / n
        print(f"  {n:>2} workers                   {projected:7.1f} s   (speed-up {wall / projected:4.1f}x)")
    print(f"Peak memory of the build: main process {main_peak:.0f} MB, largest worker {worker_peak:.0f} MB")
    peaks = {"files": result.found, "pages": pages, "main": main_peak, "worker": worker_peak}
    print("peaks " + json.dumps(peaks))


if __name__ == "__main__":
    main()
