"""/review?authority=NAME: the candidate repeats of an authority's later inspections, settled by
the person who knows the authority. One later inspection at a time: each of its items beside its
candidates (both texts in full, the words they share marked, the model's probability and
evidence), yes / partly / no per candidate, "repeats none of these" per item.

It writes only when the site was started for review (`evidence serve --review`, which binds to
127.0.0.1 and sets the plugin's `review` setting); every POST carries Datasette's CSRF token.
Otherwise the page shows the same, read-only, and says how to start it for review. A verdict is
stored where `evidence review` stores it (`link_verdicts`, by the link's key) and the journeys are
worked out again at once, so /trace and /journeys show it on the next look.
"""

from __future__ import annotations

import asyncio
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette.utils.asgi import Response
from markupsafe import Markup

from extract.errors import EvidenceError
from link.model import Row

from ...review import settle
from ...store.verdicts import VERDICTS, verdict_word
from ..stores import evidence_database

# A word of a text, as the page marks it.
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# The names a page served by `evidence serve --review` is reached by (it listens on 127.0.0.1).
LOCAL_NAMES = ("127.0.0.1", "localhost")
# What the form may ask: a verdict on a candidate, or "none" on an item.
FORM_VERDICTS = (*VERDICTS, "none")


# The candidate repeats of an authority's later inspections, for the review page: every
# recurs_in link from an item of a later inspection, with both items, the verdict and its word.
QUEUE = """
select l.key, l.method, l.score, l.evidence, l.confirmed, v.verdict, v.note,
       l.source_table, l.source_id, s.label as source_label, s.position as source_position,
       s.text as source_text, s.page as source_page,
       sd.id as inspection_id, sd.title as inspection_title, sd.date as inspection_date,
       sd.framework as inspection_framework, sd.authority as authority,
       l.target_id, t.label as target_label, t.position as target_position, t.text as target_text,
       t.page as target_page, t.kind as target_kind,
       td.id as target_document_id, td.title as target_document, td.date as target_date,
       td.doc_type as target_doc_type
from links l
join recommendations s on l.source_table = 'recommendations' and s.id = l.source_id
join documents sd on sd.id = s.document_id
join recommendations t on l.target_table = 'recommendations' and t.id = l.target_id
join documents td on td.id = t.document_id
left join link_verdicts v on v.key = l.key
where l.relation = 'recurs_in' and lower(sd.authority) = lower(:authority)
order by sd.date, sd.id, s.position, s.id, l.score desc, l.key
"""

# Each authority with later inspections, and how many of its candidates are unsettled.
AUTHORITIES = """
select sd.authority as authority, count(*) as candidates, sum(l.confirmed is null) as unsettled
from links l
join recommendations s on l.source_table = 'recommendations' and s.id = l.source_id
join documents sd on sd.id = s.document_id
where l.relation = 'recurs_in' and sd.authority is not null
group by sd.authority order by sd.authority
"""


@dataclass
class Item:
    """A later inspection's item with its candidate repeats, most probable first."""

    id: str
    label: str | None
    position: int | None
    text: str
    page: int | None
    candidates: list[Row] = field(default_factory=list)

    @property
    def unsettled(self) -> int:
        return sum(c["confirmed"] is None for c in self.candidates)


@dataclass
class Inspection:
    """A later inspection of an authority, with those of its items that have candidates."""

    id: str
    title: str | None
    date: str | None
    framework: str | None
    items: list[Item] = field(default_factory=list)

    @property
    def unsettled(self) -> int:
        return sum(item.unsettled for item in self.items)


def rows_to_inspections(rows: list[Row]) -> list[Inspection]:
    """The queue's rows (in `QUEUE`'s order) as inspections, items and candidates."""
    inspections: dict[str, Inspection] = {}
    items: dict[str, Item] = {}
    for row in rows:
        inspection = inspections.get(row["inspection_id"])
        if inspection is None:
            inspection = inspections[row["inspection_id"]] = Inspection(
                row["inspection_id"],
                row["inspection_title"],
                row["inspection_date"],
                row["inspection_framework"],
            )
        item = items.get(row["source_id"])
        if item is None:
            item = items[row["source_id"]] = Item(
                row["source_id"],
                row["source_label"],
                row["source_position"],
                row["source_text"],
                row["source_page"],
            )
            inspection.items.append(item)
        item.candidates.append(row | {"word": verdict_word(row["confirmed"], row["verdict"])})
    return list(inspections.values())


def review_enabled(datasette: Any) -> bool:
    """Whether the site was started with `evidence serve --review`."""
    return bool((datasette.plugin_config("evidence") or {}).get("review"))


async def review_page(datasette: Any, request: Any) -> Response:
    if request.method == "POST":
        return await give_verdict(datasette, request)
    db = evidence_database(datasette)
    authority = (request.args.get("authority") or "").strip()
    context: dict[str, Any] = {
        "authority": authority,
        "writable": review_enabled(datasette),
        "authorities": [dict(r) for r in (await db.execute(AUTHORITIES)).rows],
        "inspections": [],
        "database": db.name,
        "db_path": db.path,
    }
    if authority:
        rows = [dict(r) for r in (await db.execute(QUEUE, {"authority": authority})).rows]
        inspections = rows_to_inspections(rows)
        known = await db.execute(
            "select 1 from documents where authority = :authority collate nocase limit 1",
            {"authority": authority},
        )
        context["known"] = bool(known.rows)
        if inspections:
            # marking the shared words reads each text with the linker's lemmas: not on the event loop
            asked, at = request.args.get("inspection"), request.args.get("at")
            context |= await asyncio.to_thread(page_of, inspections, asked, at)
            context["authority"] = rows[0]["authority"]
    return Response.html(await datasette.render_template("evidence_review.html", context, request=request))


def page_of(inspections: list[Inspection], asked: str | None, at: str | None) -> dict[str, Any]:
    """The inspection shown (the one asked for, else the first with something unsettled), the
    candidate to focus (the first unsettled from item `at` on), and each text marked."""
    shown = next((i for i in inspections if i.id == asked), None)
    if shown is not None and at and not shown.unsettled:
        # the verdict just given settled its inspection: on to the next with something to settle
        shown = next_unsettled(inspections, shown) or shown
    unknown = asked if asked and shown is None else None  # an inspection not of this authority
    shown = shown or next((i for i in inspections if i.unsettled), inspections[0])
    candidates = [(item, c) for item in shown.items for c in item.candidates]
    start = next((n for n, (item, _) in enumerate(candidates) if item.id == at), 0)
    order = candidates[start:] + candidates[:start]
    focus = next((c["key"] for _, c in order if c["confirmed"] is None), None)
    marks: dict[str, Markup] = {}
    for item in shown.items:
        for c in item.candidates:
            shared = sorted(words_of(item.text) & words_of(c["target_text"]))
            c["shared"] = " ".join(shared)
            c["target_marked"] = marked(c["target_text"], set(shared))
        focused = next((c for c in item.candidates if c["key"] == focus), item.candidates[0])
        marks[item.id] = spans(item.text, set(focused["shared"].split()))
    return {
        "inspections": inspections,
        "shown": shown,
        "focus": focus,
        "marks": marks,
        "next_inspection": next_unsettled(inspections, shown),
        "left": sum(i.unsettled for i in inspections),
        "unknown_inspection": unknown,
    }


def next_unsettled(inspections: list[Inspection], shown: Inspection) -> Inspection | None:
    """The next inspection after `shown` with something to settle (from the first, after the last)."""
    at = inspections.index(shown)
    return next((i for i in inspections[at + 1 :] + inspections[:at] if i.unsettled), None)


@functools.lru_cache(maxsize=20000)
def lemma(token: str) -> str | None:
    """The word a token counts as when two texts are compared (the linker's lemma), or None
    for a stop word."""
    from link.text import get_nlp, word_of

    return word_of(token.lower(), get_nlp())


def pieces(text: str) -> list[tuple[int, int, str]]:
    """(start, end, what it counts as) of each telling part of a text: a phrase of the field's
    vocabulary counts as its subject ("quality assurance" and "auditing" are both `t:audit`),
    any other word as its lemma."""
    from extract.vocab import QUOTES
    from link.text import vocabulary

    vocab = vocabulary()
    found: list[tuple[int, int, str]] = []
    lowered = text.lower().translate(QUOTES)
    if len(lowered) == len(text):  # a phrase's place in the lowered text is its place in the text
        found = [
            (m.start(1), m.end(), f"t:{vocab.terms[m.group(1)]}") for m in vocab.pattern.finditer(lowered)
        ]
    taken = [(start, end) for start, end, _ in found]
    for m in WORD.finditer(text):
        word = lemma(m.group())
        if word and not any(start <= m.start() < end for start, end in taken):
            found.append((m.start(), m.end(), word))
    return sorted(found)


def words_of(text: str | None) -> set[str]:
    return {what for _, _, what in pieces(text or "")}


def marked(text: str | None, shared: set[str]) -> Markup:
    """The text, escaped, with the words and phrases it shares with the other one in <mark>."""
    return _wrapped(text or "", lambda part, what: f"<mark>{part}</mark>" if what in shared else part)


def spans(text: str | None, shared: set[str]) -> Markup:
    """The later item's text with what each word counts as on it, so the page can mark the
    words it shares with whichever candidate has the focus; those in `shared` are marked now."""

    def wrap(part: str, what: str) -> str:
        tag = "mark" if what in shared else "span"
        return f'<{tag} data-w="{html.escape(what)}">{part}</{tag}>'

    return _wrapped(text or "", wrap)


def _wrapped(text: str, wrap: Callable[[str, str], str]) -> Markup:
    out, last = [], 0
    for start, end, what in pieces(text):
        out.append(html.escape(text[last:start]))
        out.append(wrap(html.escape(text[start:end]), what))
        last = end
    out.append(html.escape(text[last:]))
    return Markup("".join(out))


# The cookie Datasette's CSRF protection sets beside each form's token.
CSRF_COOKIE = "ds_csrftoken"


def from_own_page(request: Any) -> bool:
    """Whether a POST comes from this site's own form. Datasette's CSRF check (asgi-csrf) is
    skipped for a request without cookies, and a form another site posts here carries none (the
    cookie is SameSite=Lax): so the cookie must be there, and an Origin, when sent, must be ours."""
    origin = request.headers.get("origin")
    return CSRF_COOKIE in request.cookies and (not origin or urlsplit(origin).netloc == request.host)


async def give_verdict(datasette: Any, request: Any) -> Response:
    """A verdict from the page's form (Datasette has checked its CSRF token by now)."""
    if not review_enabled(datasette):
        return Response.html(
            "<p>This site is read-only: start it for review with "
            "<code>evidence serve --review --db FILE</code> to settle candidates on it, "
            "or use <code>evidence review</code>.</p>",
            status=403,
        )
    if request.host.rsplit(":", 1)[0].strip("[]") not in LOCAL_NAMES:
        # a page of another site that has this one's address under its own name (DNS rebinding)
        return Response.text(f"verdicts are taken only at 127.0.0.1, not at {request.host}\n", status=403)
    if not from_own_page(request):
        return Response.text(
            "a verdict is taken only from the review page's own form: open /review on this site and answer there\n",
            status=403,
        )
    form = await request.post_vars()
    verdict = form.get("verdict", "")
    key, item = form.get("key") or None, form.get("item") or None
    if verdict not in FORM_VERDICTS or (verdict == "none") != (item is not None and key is None):
        return Response.text(
            f"verdict {verdict!r} is not one the page sends: {', '.join(VERDICTS)} on a candidate, "
            "or none on an item\n",
            status=400,
        )
    db = evidence_database(datasette)
    try:
        await asyncio.to_thread(settle, db.path, verdict, key, item, form.get("note") or None)
    except EvidenceError as exc:
        return Response.text(f"{exc}\n", status=400)
    back = {k: form.get(k) for k in ("authority", "inspection", "at") if form.get(k)}
    return Response.redirect(datasette.urls.path("/review") + "?" + urlencode(back))
