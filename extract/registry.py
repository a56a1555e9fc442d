"""Which parsers read which document type: the built-in ones (extract/parsers/, handed over by
the pipeline), in the order the pipeline runs them, then any registered by a plugin.

    @parser("improvement_plan")
    def parse_my_plan(doc: Document, info: DocumentInfo) -> list[Record]: ...

Parsers are pure: a document in, records out, in the document's reading order. The pipeline
numbers them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .document import Document
from .records import DocumentInfo, Record
from .vocab import DOC_TYPES

Parser = Callable[[Document, DocumentInfo], Sequence[Record]]

P = TypeVar("P", bound=Parser)

# Parsers added with @parser, by document type, after the built-in ones.
PARSERS: dict[str, list[Parser]] = {}
# The built-in parsers with the document types each reads, in the order they run.
BUILTIN: list[tuple[tuple[str, ...], Parser]] = []


def check_types(doc_types: Sequence[str]) -> None:
    unknown = [t for t in doc_types if t not in DOC_TYPES]
    if unknown:
        raise ValueError(f"unknown document type(s) {unknown}; known: {', '.join(DOC_TYPES)}")


def parser(*doc_types: str) -> Callable[[P], P]:
    """Register a parser of your own for these document types."""
    check_types(doc_types)

    def register(func: P) -> P:
        for doc_type in doc_types:
            if func not in PARSERS.setdefault(doc_type, []):
                PARSERS[doc_type].append(func)
        return func

    return register


def use_builtin(parsers: Sequence[tuple[tuple[str, ...], Parser]]) -> None:
    """Take the built-in parsers (the pipeline hands over extract/parsers/BUILTIN)."""
    for doc_types, func in parsers:
        check_types(doc_types)
        if (doc_types, func) not in BUILTIN:
            BUILTIN.append((doc_types, func))


def parsers_for(doc_type: str) -> list[Parser]:
    builtin = [func for types, func in BUILTIN if doc_type in types]
    return builtin + [f for f in PARSERS.get(doc_type, []) if f not in builtin]
