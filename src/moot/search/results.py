"""The shape of a search's results, as the search service returns them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, overload

from django.core.paginator import Page, Paginator
from django.utils.safestring import SafeString

from moot.search.documents import SearchDocument

Sort = Literal["relevance", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest")
# Like every large search engine, moot pages through the first results only: deep pages
# cost more than they are worth, and a narrower search serves better.
MAX_RESULTS = 1000
KIND_NAMES = {
    "question": "Written question",
    "statement": "Written statement",
    "consultation": "Consultation",
    "document": "Document",
    "debate": "Debate",
}
FACET_HEADINGS = {"type": "Type", "department": "Department", "year": "Year"}
# Facet values shown before the rest are folded away under "More".
FACET_SHOWN = 10


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    # BM25 relevance; 0.0 when results are in date order.
    score: float
    # The title and a passage of the text, escaped, with the matched words in <mark>.
    title_html: SafeString
    snippet_html: SafeString

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.document.kind]


@dataclass(frozen=True)
class FacetValue:
    """One value to narrow the search by, with how many results have it."""

    value: str
    label: str
    count: int
    # When selected, ``query`` is the search without this filter; otherwise with it.
    selected: bool
    query: str
    # The search page for ``query``, in the same order as these results.
    href: str = ""

    @property
    def count_text(self) -> str:
        """``count`` with thousands separated ("12,345"), cheaper than a template filter
        for the dozens of values a page shows."""
        return f"{self.count:,}"


@dataclass(frozen=True)
class FacetGroup:
    name: str
    heading: str
    shown: list[FacetValue]
    more: list[FacetValue]


@dataclass(frozen=True)
class SearchResults:
    query: str
    sort: Sort
    page: int
    page_size: int
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    # "type", "department" and "year", most useful first.
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # Set when the query could not be read or search is not available: say it to the user.
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def browsable(self) -> int:
        return min(self.total, MAX_RESULTS)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.browsable // self.page_size))

    @property
    def facet_groups(self) -> list[FacetGroup]:
        return [
            FacetGroup(name, heading, values[:FACET_SHOWN], values[FACET_SHOWN:])
            for name, heading in FACET_HEADINGS.items()
            if (values := self.facets.get(name))
        ]

    @property
    def page_obj(self) -> Page:
        """A Django ``Page`` for the pagination template."""
        return Paginator(_PageOfHits(self), self.page_size).page(self.page)


class _PageOfHits(Sequence[SearchHit]):
    """Looks like the whole result list to a Paginator, but holds only the current page."""

    def __init__(self, results: SearchResults) -> None:
        self.results = results

    def __len__(self) -> int:
        return self.results.browsable

    @overload
    def __getitem__(self, index: int) -> SearchHit: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchHit]: ...
    def __getitem__(self, index: int | slice) -> SearchHit | list[SearchHit]:
        if isinstance(index, slice):
            return self.results.hits
        return self.results.hits[index - (self.results.page - 1) * self.results.page_size]
