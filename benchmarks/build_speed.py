"""Pages per second for `evidence build` on a folder of PDFs, beside plain pdfplumber and
pypdfium2 text extraction of the same files in the same run, and the peak memory.

    python benchmarks/build_speed.py ../shared/corpus/ofsted [--workers 2] [--limit 10]

A script that prints figures, not a test: speed goals are read here, never asserted.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def readable_pdfs(folder: Path, limit: int | None) -> list[Path]:
    files = [p for p in sorted(folder.glob("*.pdf")) if p.read_bytes()[:1024].find(b"%PDF-") >= 0]
    return files[:limit] if limit else files


def pages_of(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in files:
        pdf = pdfium.PdfDocument(str(path))
        total += len(pdf)
        pdf.close()
    return total


def time_pdfplumber(files: list[Path]) -> float:
    import pdfplumber

    start = time.perf_counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return time.perf_counter() - start


def time_pypdfium2(files: list[Path]) -> float:
    import pypdfium2 as pdfium

    start = time.perf_counter()
    for path in files:
        pdf = pdfium.PdfDocument(str(path))
        for page in pdf:
            page.get_textpage().get_text_range()
        pdf.close()
    return time.perf_counter() - start


def time_build(files: list[Path], workers: int) -> float:
    from evidence.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        for path in files:
            # copies, not links: a build refuses a link that leads out of the folder it reads
            shutil.copyfile(path, folder / path.name)
        start = time.perf_counter()
        result = build([folder], Path(tmp) / "bench.db", BuildOptions(workers=workers))
        seconds = time.perf_counter() - start
        if len(result.extracted) != len(files):
            sys.exit(f"the build read {len(result.extracted)} of {len(files)} files: {result.summary()}")
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int, help="only the first N files (pdfplumber is slow)")
    args = parser.parse_args()
    files = readable_pdfs(args.folder, args.limit)
    if not files:
        sys.exit(f"no readable PDFs in {args.folder}")
    pages = pages_of(files)
    print(f"{len(files)} PDFs, {pages} pages")
    for name, seconds in (
        (f"evidence build (workers={args.workers})", time_build(files, args.workers)),
        ("pypdfium2 text", time_pypdfium2(files)),
        ("pdfplumber text", time_pdfplumber(files)),
    ):
        print(f"{name:<32} {seconds:8.2f} s {pages / seconds:9.1f} pages/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB in this process, {workers:.0f} MB in the largest worker")


if __name__ == "__main__":
    main()
