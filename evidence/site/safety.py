"""What the site checks before it serves anything.

A store names files by path; between the build and a request the file at that path may have
been swapped (for a link to /etc/passwd, another report, a folder). So a file is served only
when it is a regular file, inside the folders the store was built from, with the bytes the
build read (its sha256). Anything else is a 404 that says why and what to do.

Every request is bounded before any work: an id or a query longer than any real one is
refused at once, a page is rendered within a pixel budget. A 404 is logged in one line (not
Datasette's traceback with every local variable, which costs the event loop most of a second
and a minute for a 100,000-character id).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Base400, NotFound, Response

from extract.errors import EvidenceError
from extract.load import printable, real_path
from extract.tunables import check_counts

from .stores import mtime


@dataclass(frozen=True)
class ServingLimits:
    """The site's bounds (listed in the README's table of tunables)."""

    # The longest id the site looks up: a record id is ~30 characters ("<16 hex>-<line>-r12").
    max_id_chars: int = 100
    # The longest search the site runs, in characters and in words (each word is a condition
    # on every text table): a question is a few words; 1,000 ORs is not a search.
    max_query_chars: int = 500
    max_query_words: int = 40
    # The most pixels a page is rendered with: an A4 page at the largest scale (4) is ~8
    # million; a poster-sized page is rendered smaller instead of as a 2 GB bitmap.
    max_pixels: int = 16_000_000
    # The longest part of a URL or a message printed in the one-line log of a 404.
    log_chars: int = 200
    # Recommendations shown on one page of /journeys (?page=N for the next): 50,000 on one
    # page is 30 MB of HTML; 500 is ~300 KB.
    journeys_per_page: int = 500

    def __post_init__(self) -> None:
        check_counts(self, vars(self))


LIMITS = ServingLimits()

# What is known of a file already checked: (path, device, inode, size, mtime) -> its sha256.
_digests: dict[tuple[str, int, int, int, int], str] = {}
_DIGESTS_KEPT = 256


def checked_id(value: str, what: str = "item") -> str:
    """An id from a URL, refused before any lookup when no id is that long."""
    if len(value) > LIMITS.max_id_chars:
        raise NotFound(
            f"No {what} with an id of {len(value):,} characters: ids are at most {LIMITS.max_id_chars}; "
            "start from /journeys or /search"
        )
    return value


def checked_query(q: str) -> str:
    """A search, refused with what to do when it is longer than any search a person types."""
    if len(q) > LIMITS.max_query_chars:
        raise EvidenceError(
            f"the search is {len(q):,} characters long, more than the {LIMITS.max_query_chars} searched: "
            "search for a few words"
        )
    words = q.split()
    if len(words) > LIMITS.max_query_words:
        raise EvidenceError(
            f"the search has {len(words):,} words, more than the {LIMITS.max_query_words} searched: "
            "search for a few words"
        )
    return q


def built_folders(db_path: str) -> list[str]:
    """The folders (and files) the store's finished builds were asked to read, as the system
    names them now (links resolved)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("select folders from builds where outcome = 'finished' and folders is not null")
        found = {folder for (folders,) in rows for folder in json.loads(folders or "[]")}
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return sorted(os.path.realpath(real_path(folder)) for folder in found)


_folders: dict[tuple[str, float], list[str]] = {}


def folders_of(db_path: str) -> list[str]:
    key = (db_path, mtime(db_path))
    if key not in _folders:
        _folders.clear()
        _folders[key] = built_folders(db_path)
    return _folders[key]


def inside(path: str, folders: list[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


# What to do about a stored file that is not the one built any more.
BUILD_AGAIN = "build the store again from where the file is now"


def shown_name(path: str) -> str:
    """A stored file as a page names it: by its name, not where it lies on the server (a site
    may be read by people who should not learn the server's folders)."""
    return os.path.basename(printable(path))


def not_there(path: str) -> EvidenceError:
    return EvidenceError(f"{shown_name(path)} is not there any more: {BUILD_AGAIN}")


def verified_path(stored: str, sha256: str, folders: list[str]) -> str:
    """The file a stored path names, if it is still the file that was built: a regular file,
    inside `folders` (when the store knows them), whose bytes have `sha256`. Raises
    EvidenceError saying what is wrong and what to do."""
    path = real_path(stored)
    name = shown_name(stored)
    try:
        info = os.stat(path)
    except OSError:
        raise not_there(stored) from None
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceError(f"{name} is not a regular file any more: {BUILD_AGAIN}")
    target = os.path.realpath(path)
    if folders and not inside(target, folders):
        raise EvidenceError(
            f"{name} now leads outside the folders the store was built from: "
            "it is not served; put the file back, or build again"
        )
    key = (path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    digest = _digests.get(key)
    if digest is None:
        digest = sha256_of_file(path)
        if len(_digests) >= _DIGESTS_KEPT:
            _digests.pop(next(iter(_digests)))
        _digests[key] = digest
    if digest != sha256:
        raise EvidenceError(f"{name} has changed since the store was built: {BUILD_AGAIN}")
    return path


def sha256_of_file(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise EvidenceError(f"{shown_name(path)} cannot be read ({exc.strerror}): build again") from None
    return digest.hexdigest()


async def served_path(db: Any, doc: dict[str, Any]) -> str:
    """The checked file of a stored document (a pack's paper: its pack's file)."""
    import asyncio

    sha256 = doc["sha256"]
    if doc.get("parent_id"):
        rows = (await db.execute("select sha256 from documents where id = ?", [doc["parent_id"]])).rows
        sha256 = rows[0][0] if rows else ""
    return await asyncio.to_thread(verified_path, doc["path"], sha256, folders_of(db.path))


def pixel_scale(width: float, height: float, scale: float) -> float:
    """`scale`, made smaller when a page of `width` x `height` points would need more than
    the pixel budget."""
    pixels = width * height * scale * scale
    if pixels <= LIMITS.max_pixels:
        return scale
    return scale * (LIMITS.max_pixels / pixels) ** 0.5


def log_line(request: Any, status: int, message: str) -> str:
    cut = LIMITS.log_chars
    path = (
        request.path
        if len(request.path) <= cut
        else f"{request.path[:cut]}… ({len(request.path):,} characters)"
    )
    return f"{status} {request.method} {path}: {message[:cut]}"


async def error_page(datasette: Any, request: Any, exception: Base400) -> Response:
    """The answer to a 404 (or another 4xx), as Datasette's own error page, at once."""
    status = exception.status
    message = str(exception.args[0]) if exception.args else "Not found"
    print(log_line(request, status, message), file=sys.stderr, flush=True)
    info = {"ok": False, "error": message[: LIMITS.log_chars * 5], "status": status, "title": None}
    if request.path.split("?")[0].endswith(".json"):
        return Response.json(info, status=status)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    page = await template.render_async(
        dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
    )
    return Response.html(page, status=status)


@hookimpl(hookwrapper=True)
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """A 4xx is answered by `error_page` alone: Datasette's own handler would also print a
    traceback with every local variable (seconds for a long URL)."""
    outcome = yield
    if isinstance(exception, Base400):

        async def answer() -> Response:
            return await error_page(datasette, request, exception)

        outcome.force_result([answer])
