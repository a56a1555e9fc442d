"""Whether a sentence of an inspection's summary reports a strength or a weakness.

Ofsted's summaries mix the two, often in one sentence ("Frontline managers provide effective
supervision ..., but this is not always reflected in records"). A sentence is read by its
point: the clause after "but", "however" or "although" (the reservation), the main clause
after a leading "Despite ...,". The point is a weakness when its weak words, counted
twice, are at least as many as its strong ones (a strong word after "not" in its part of
the clause is a weak one, a weak word after "reducing" in its part is neither), a strength
when its strong words are more; a sentence with neither ("In Portsmouth, care leavers
prefer to be known as ...") has no kind: better empty than a guess. "However, ..." with no
words of its own turns the sentence before it round. The words are in `data/polarity.json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

STRENGTH = "strength"
WEAKNESS = "weakness"


@dataclass(frozen=True)
class Cues:
    weak: re.Pattern[str]
    strong: re.Pattern[str]
    negator: re.Pattern[str]
    reverser: re.Pattern[str]
    rear_contrast: re.Pattern[str]
    front_concession: re.Pattern[str]
    # a weak word outweighs this many strong ones: a weakness is told in the words of the
    # strength it lacks ("insufficient capacity to secure a timely and appropriate response")
    weak_weight: int
    neutral: re.Pattern[str]


def words_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b")


@cache
def cues() -> Cues:
    source = resources.files("extract") / "data" / "polarity.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    return Cues(
        weak=words_pattern(data["weak"]),
        strong=words_pattern(data["strong"]),
        negator=words_pattern(data["negators"]),
        rear_contrast=re.compile(
            r"(?:[,;]\s*|\s)(?:" + "|".join(data["rear_contrast"]) + r")\b,?"
            r"|[,;]\s*(?:" + "|".join(data["rear_concession"]) + r")\b,?"
        ),
        front_concession=re.compile(r"^(?:" + "|".join(data["front_concession"]) + r")\b[^,]*,"),
        reverser=words_pattern(data["reversers"]),
        weak_weight=int(data["weak_weight"]),
        neutral=words_pattern(data["neutral"]),
    )


def point_of(sentence: str) -> str:
    """The clause that carries a sentence's point (see the module's note)."""
    c = cues()
    text = " ".join(sentence.lower().replace("’", "'").split())
    parts = c.rear_contrast.split(text)
    if len(parts) > 1 and parts[-1].strip():
        return parts[-1]
    front = c.front_concession.match(text)
    return text[front.end() :] if front and text[front.end() :].strip() else text


def counts(clause: str) -> tuple[int, int]:
    """(weak, strong) words of a clause; a negated strong word counts for neither (its
    negator is weak already, or is made so here)."""
    c = cues()
    clause = c.neutral.sub(" ", clause)
    weak_spans = [m.span() for m in c.weak.finditer(clause)]
    weak = sum(not c.reverser.search(re.split(r"[,;]", clause[:start])[-1]) for start, _ in weak_spans)
    strong = 0
    for m in c.strong.finditer(clause):
        if any(start <= m.start() < end for start, end in weak_spans):
            continue  # part of a weak phrase ("requires improvement")
        before = re.split(r"[,;]", clause[: m.start()])[-1]  # its own part of the clause
        if c.negator.search(before):
            weak += 0 if c.weak.search(before) else 1
            continue
        strong += 1
    return weak, strong


def sentence_kind(sentence: str, previous: str | None = None) -> str | None:
    """`strength`, `weakness` or None (cannot be told), given the kind of the sentence before."""
    c = cues()
    weak, strong = counts(point_of(sentence))
    if weak and c.weak_weight * weak >= strong:
        return WEAKNESS
    if strong > weak:
        return STRENGTH
    if re.match(r"^however\b", sentence.strip(), re.I) and previous:
        return WEAKNESS if previous == STRENGTH else STRENGTH
    return None
