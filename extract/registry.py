"""The one way to add a parser: register a function for the document types it reads.

    @parser("improvement_plan")
    def parse_plan(doc: Document, info: DocumentInfo) -> list[Record]: ...

Parsers are pure: a document in, records out. Every parser registered for a document's
type runs on it, in registration order; the built-in ones live in `extract.parsers` and
register themselves the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from typing import TypeVar

from .document import Document
from .records import DocumentInfo, Record
from .vocab import DOC_TYPES

Parser = Callable[[Document, DocumentInfo], Sequence[Record]]

P = TypeVar("P", bound=Parser)

PARSERS: dict[str, list[Parser]] = {}


def parser(*doc_types: str) -> Callable[[P], P]:
    unknown = [t for t in doc_types if t not in DOC_TYPES]
    if unknown:
        raise ValueError(f"unknown document type(s) {unknown}; known: {', '.join(DOC_TYPES)}")

    def register(func: P) -> P:
        for doc_type in doc_types:
            if func not in PARSERS.setdefault(doc_type, []):
                PARSERS[doc_type].append(func)
        return func

    return register


def parsers_for(doc_type: str) -> list[Parser]:
    load_builtin_parsers()
    return list(PARSERS.get(doc_type, []))


_loaded = False


def load_builtin_parsers() -> None:
    global _loaded
    if _loaded:
        return
    from . import parsers

    for module in pkgutil.iter_modules(parsers.__path__):
        importlib.import_module(f"{parsers.__name__}.{module.name}")
    _loaded = True
