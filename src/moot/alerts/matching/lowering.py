"""Turning a parsed query into the small logic the matcher evaluates.

A query tree (``moot.search.query``) is lowered to an expression over *atoms*: a term in
the text fields, a phrase (terms at given offsets within one field value), a filter value
(``member:…``, ``department:…``, ``party:…``, ``type:…``) or a date range. Words are
analysed exactly as the search index analyses text; a word that analyses to several terms
("re-use") is a phrase, and one that analyses to nothing ("&") drops out of its group, as
it would from a search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from moot.search.query import And, DateRange, Filter, Node, Not, Phrase, Word

# The fields a word or phrase is looked for in, and the filters a document carries.
TEXT_FIELDS = ("title", "body", "names")
FILTER_FIELDS = {
    "member": "member_slugs",
    "department": "department_slugs",
    "party": "party_slugs",
}
EARLIEST = dt.date.min.toordinal()
LATEST = dt.date.max.toordinal()


@dataclass(frozen=True)
class TermAtom:
    term: str


@dataclass(frozen=True)
class FilterAtom:
    field: str
    value: str

    @property
    def key(self) -> str:
        return filter_key(self.field, self.value)


@dataclass(frozen=True)
class PhraseAtom:
    """Terms at offsets from the first (offsets skip words the index drops)."""

    terms: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class DateAtom:
    """Inclusive day ordinals."""

    start: int
    end: int


Atom = TermAtom | FilterAtom | PhraseAtom | DateAtom


@dataclass(frozen=True)
class AllOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class NoneOf:
    item: Expr


Expr = Atom | AllOf | AnyOf | NoneOf


def filter_key(field: str, value: str) -> str:
    """The term a filter value is indexed under; cannot collide with an analysed word."""
    return f"\x00{field}\x00{value}"


def text_atom(
    text: str, *, analyze_with_positions: Callable[[str], list[tuple[int, str]]]
) -> Atom | None:
    terms = analyze_with_positions(text)
    if not terms:
        return None
    if len(terms) == 1:
        return TermAtom(terms[0][1])
    first = terms[0][0]
    return PhraseAtom(tuple((position - first, term) for position, term in terms))


def lower(
    node: Node, *, analyze_with_positions: Callable[[str], list[tuple[int, str]]]
) -> Expr | None:
    """The expression ``node`` means; ``None`` when nothing in it can be looked for."""

    def walk(node: Node) -> Expr | None:
        if isinstance(node, Word):
            return text_atom(node.text, analyze_with_positions=analyze_with_positions)
        if isinstance(node, Phrase):
            return text_atom(" ".join(node.words), analyze_with_positions=analyze_with_positions)
        if isinstance(node, Filter):
            return FilterAtom(node.field, node.value)
        if isinstance(node, DateRange):
            return DateAtom(
                node.start.toordinal() if node.start else EARLIEST,
                node.end.toordinal() if node.end else LATEST,
            )
        if isinstance(node, Not):
            inner = walk(node.node)
            return None if inner is None else NoneOf(inner)
        group = AllOf if isinstance(node, And) else AnyOf
        items: list[Expr] = []
        for child in node.nodes:
            lowered = walk(child)
            if lowered is None:
                continue
            # Flatten a AND (b AND c) into one group.
            items.extend(lowered.items if isinstance(lowered, group) else [lowered])
        unique = tuple(dict.fromkeys(items))
        if not unique:
            return None
        return unique[0] if len(unique) == 1 else group(unique)

    return walk(node)
