"""The trusts and companies that run a council's children's services (`data/providers.csv`),
and finding the one a report's title names."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .authorities import _key, authority_names, find_authority
from .errors import EvidenceError

# A body named like a trust is one even when it is not in `data/providers.csv` yet.
TRUST_NAME = re.compile(
    r"(?:[A-Z][\w'’-]*\s+){1,5}?(?:Children(?:['’]s|\s+and\s+Families)(?:\s+Services)?\s+Trust|Children\s+First)\b"
)


@dataclass(frozen=True)
class Provider:
    """A trust or company running a council's children's services, and the councils it serves."""

    name: str
    aliases: tuple[str, ...]
    authorities: tuple[str, ...]


@cache
def all_providers() -> tuple[Provider, ...]:
    source = resources.files(__package__) / "data" / "providers.csv"
    rows = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")))
    providers = []
    for n, row in enumerate(rows, 2):
        served = tuple(a.strip() for a in row["authorities"].split("|") if a.strip())
        unknown = [a for a in served if a not in authority_names()]
        if unknown:
            raise EvidenceError(f"providers.csv line {n}: {unknown} not in authorities.csv")
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        providers.append(Provider(row["provider"].strip(), aliases, served))
    return tuple(providers)


def find_provider(text: str) -> Provider | None:
    """The body a title names as running the services ("Inspection of Birmingham Children's
    Trust"): a known one by any of its names, else any body named like a trust, whose
    councils are then those its name holds."""
    key = f" {_key(text)} "
    for provider in all_providers():
        if any(f" {_key(name)} " in key for name in (provider.name, *provider.aliases)):
            return provider
    m = TRUST_NAME.search(text)
    if not m:
        return None
    name = " ".join(m.group(0).split())
    named = find_authority(name)
    return Provider(name, (), (named,) if named else ())
