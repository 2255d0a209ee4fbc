"""Reading the search index: the one search service that pages, feeds and alerts use."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import tantivy
from django.urls import reverse
from django.utils.http import urlencode

from moot.core.models import Department
from moot.search.compiler import CompiledQuery, compile_query
from moot.search.highlight import Highlighter
from moot.search.index import SCHEMA, IndexMissing, from_tantivy, open_current
from moot.search.query import And, DateRange, Filter, Node, Or, QuerySyntaxError, parse, to_text
from moot.search.results import (
    MAX_RESULTS,
    FacetValue,
    SearchHit,
    SearchResults,
    Sort,
)

# What search_results returns, for other apps to name in their types (they import this
# module, never search.results).
__all__ = [
    "TYPE_LABELS",
    "UNAVAILABLE",
    "FacetValue",
    "SearchHit",
    "SearchResults",
    "search_results",
]

TYPE_LABELS = {
    "question": "Written questions",
    "statement": "Written statements",
    "consultation": "Consultations",
    "document": "Documents",
    "debate": "Debates",
}
DEPARTMENT_FACET_SIZE = 15
AGGREGATIONS = {
    "type": {"terms": {"field": "kind", "size": len(TYPE_LABELS)}},
    "department": {"terms": {"field": "department_facet", "size": DEPARTMENT_FACET_SIZE}},
    "year": {"terms": {"field": "year", "size": 500}},
}
# Hits fetched past the page so that results scoring the same are ordered by a stable key
# (newest first) rather than by where they happen to sit in the index.
TIE_MARGIN = 16
MAX_TIE_FETCH = MAX_RESULTS + 4096
UNAVAILABLE = (
    "Search is not available yet: the search index is still being built. Try again in a minute."
)


def search_results(
    *, query: str, sort: str = "relevance", page: int = 1, page_size: int = 20
) -> SearchResults:
    """Search everything moot publishes.

    ``query`` is in moot's query language (see ``moot.search.query``). Never raises for
    bad input: a query that cannot be read comes back with ``error`` set to a message for
    the person who typed it, and an unknown ``sort`` means relevance. ``page`` is clamped
    to the pages there are. Results with equal scores are in a stable order (newest first,
    then by kind and id), so they do not move when the index is rebuilt.
    """
    text = query.strip()
    chosen: Sort = "newest" if sort == "newest" else "relevance"
    page_size = max(1, min(page_size, 100))
    empty = SearchResults(query=text, sort=chosen, page=1, page_size=page_size)
    try:
        tree = parse(text)
        compiled = compile_query(tree)
    except QuerySyntaxError as error:
        return dataclasses.replace(empty, error=str(error))
    try:
        _, index = open_current()
    except IndexMissing:
        return dataclasses.replace(empty, error=UNAVAILABLE)
    searcher = index.searcher()
    buckets = searcher.aggregate(compiled.query, AGGREGATIONS)
    counts = {name: _bucket_counts(buckets.get(name)) for name in AGGREGATIONS}
    total = sum(counts["type"].values())
    facets = _facets(tree, text, counts, sort=chosen)
    if total == 0:
        return dataclasses.replace(empty, facets=facets)
    page_count = max(1, -(-min(total, MAX_RESULTS) // page_size))
    page = max(1, min(page, page_count))
    offset = (page - 1) * page_size
    if chosen == "newest" or not compiled.has_text:
        scored = _by_recency(searcher, compiled, offset=offset, limit=page_size)
    else:
        scored = _by_relevance(searcher, compiled, offset=offset, limit=page_size)
    return SearchResults(
        query=text,
        sort=chosen,
        page=page,
        page_size=page_size,
        hits=_hits(searcher, compiled, scored),
        total=total,
        facets=facets,
    )


def _hits(
    searcher: tantivy.Searcher,
    compiled: CompiledQuery,
    scored: list[tuple[float, tantivy.DocAddress]],
) -> list[SearchHit]:
    highlighter = Highlighter(searcher, SCHEMA, compiled.highlight)
    hits = []
    for score, address in scored:
        stored = searcher.doc(address)
        document = from_tantivy(stored)
        hits.append(
            SearchHit(
                document=document,
                score=score,
                title_html=highlighter.title_html(stored, document.title),
                snippet_html=highlighter.body_html(stored, document.body),
            )
        )
    return hits


def _by_recency(
    searcher: tantivy.Searcher, compiled: CompiledQuery, *, offset: int, limit: int
) -> list[tuple[float, tantivy.DocAddress]]:
    hits = searcher.search(
        compiled.query,
        limit,
        count=False,
        order_by_field="recency",
        order=tantivy.Order.Desc,
        offset=offset,
    ).hits
    return [(0.0, address) for _, address in hits]


def _by_relevance(
    searcher: tantivy.Searcher, compiled: CompiledQuery, *, offset: int, limit: int
) -> list[tuple[float, tantivy.DocAddress]]:
    """The page of hits by score, ties broken by recency. Fetches past the page until the
    group of hits tied with the page's last one is complete."""
    wanted = offset + limit
    fetch = wanted + TIE_MARGIN
    while True:
        hits = searcher.search(compiled.query, fetch, count=False).hits
        if len(hits) < fetch or len(hits) <= wanted or fetch >= MAX_TIE_FETCH:
            break
        if hits[-1][0] < hits[wanted - 1][0]:
            break
        fetch = min(fetch * 4, MAX_TIE_FETCH)
    recency = searcher.fast_field_values("recency", [address for _, address in hits])
    ranked = sorted(
        zip(hits, recency, strict=True), key=lambda item: (-item[0][0], -(item[1] or 0))
    )
    return [hit for hit, _ in ranked[offset:wanted]]


def _bucket_counts(aggregation: dict[str, Any] | None) -> dict[str, int]:
    if not aggregation:
        return {}
    return {str(bucket["key"]): int(bucket["doc_count"]) for bucket in aggregation["buckets"]}


# --- Facets: each value is a link that adds (or removes) a filter ------------------------


def _top_level(tree: Node) -> tuple[Node, ...]:
    return tree.nodes if isinstance(tree, And) else (tree,)


def _year_range(year: int) -> DateRange:
    return DateRange(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def _toggle(tree: Node, text: str, node: Filter | DateRange, filter_text: str) -> tuple[bool, str]:
    parts = _top_level(tree)
    if node in parts:
        rest = tuple(part for part in parts if part != node)
        if not rest:
            return True, ""
        return True, to_text(rest[0] if len(rest) == 1 else And(rest))
    base = f"({text})" if isinstance(tree, Or) else text
    return False, f"{base} {filter_text}"


def _facets(
    tree: Node, text: str, counts: dict[str, dict[str, int]], *, sort: Sort
) -> dict[str, list[FacetValue]]:
    page = reverse("search:search")

    def facet(value: str, label: str, count: int, selected: bool, query: str) -> FacetValue:
        params = {"q": query, "sort": sort} if sort == "newest" else {"q": query}
        return FacetValue(value, label, count, selected, query, f"{page}?{urlencode(params)}")

    facets: dict[str, list[FacetValue]] = {}
    values = []
    for kind, label in TYPE_LABELS.items():
        if kind in counts["type"]:
            selected, query = _toggle(tree, text, Filter("type", kind), f"type:{kind}")
            values.append(facet(kind, label, counts["type"][kind], selected, query))
    facets["type"] = values
    names = dict(
        Department.objects.filter(slug__in=counts["department"]).values_list("slug", "name")
    )
    values = []
    for slug, count in sorted(counts["department"].items(), key=lambda item: (-item[1], item[0])):
        selected, query = _toggle(tree, text, Filter("department", slug), f"department:{slug}")
        values.append(facet(slug, names.get(slug, slug), count, selected, query))
    facets["department"] = values
    values = []
    for year, count in sorted(counts["year"].items(), reverse=True):
        selected, query = _toggle(tree, text, _year_range(int(year)), f"date:{year}")
        values.append(facet(year, year, count, selected, query))
    facets["year"] = values
    return facets
