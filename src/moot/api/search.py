"""The API's use of the search service: questions and statements matching words, and
searching everything.

Only ``moot.search.selectors.search_results`` (and its message for a missing index) and the
query language are used, as the search app allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import Resolver404, resolve, reverse

from moot.api.errors import InvalidSearch, SearchUnavailable
from moot.search.query import And, Filter, parse, to_text
from moot.search.selectors import UNAVAILABLE, search_results

if TYPE_CHECKING:
    from moot.search.selectors import SearchHit, SearchResults

# The search service pages through its best 1,000 results; so does the API.
SEARCH_BATCH = 100

# The site page a search hit links to, and the API resource for the same thing.
API_NAMES = {
    "parliament:question": "api:question",
    "parliament:debate": "api:debate",
    "parliament:statement": "api:statement",
    "consultations:detail": "api:consultation",
    "consultations:document": "api:document",
}


def _checked(results: SearchResults) -> SearchResults:
    if results.error == UNAVAILABLE:
        raise SearchUnavailable(results.error)
    if results.error:
        raise InvalidSearch(results.error)
    return results


def question_ids_matching(*, query: str) -> list[int]:
    """Ids of the newest questions (up to the service's limit) matching ``query``, a query
    in the search language already known to parse."""
    return _ids_matching(query=query, kind="question")


def statement_ids_matching(*, query: str) -> list[int]:
    """As ``question_ids_matching``, for written statements."""
    return _ids_matching(query=query, kind="statement")


def _ids_matching(*, query: str, kind: str) -> list[int]:
    text = to_text(And((parse(query), Filter("type", kind))))
    ids: list[int] = []
    page = 1
    while True:
        results = _checked(
            search_results(query=text, sort="newest", page=page, page_size=SEARCH_BATCH)
        )
        ids.extend(int(hit.document.key.split(":")[1]) for hit in results.hits)
        if page >= results.page_count:
            return ids
        page += 1


def search_for_api(*, query: str, sort: str, page: int, page_size: int) -> SearchResults:
    return _checked(search_results(query=query, sort=sort, page=page, page_size=page_size))


def hit_api_path(hit: SearchHit) -> str | None:
    """The API resource for a hit's page, when the API has one."""
    try:
        match = resolve(hit.document.url)
    except Resolver404:
        return None
    name = API_NAMES.get(match.view_name)
    return reverse(name, kwargs=match.kwargs) if name else None
