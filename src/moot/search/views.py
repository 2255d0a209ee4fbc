from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from moot.search.acronyms import known_acronyms
from moot.search.forms import SearchForm
from moot.search.query import TYPES
from moot.search.selectors import search_results
from moot.search.services import search_index_catch_up


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results = None
    if form.query:
        search_index_catch_up()
        results = search_results(query=form.query, sort=form.sort, page=form.page)
        if results.error:
            form.reject(results.error)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": form.query,
            "results": results,
            "page_obj": results.page_obj if results and results.total else None,
            "nav_section": "search",
        },
    )


def search_help(request: HttpRequest) -> HttpResponse:
    # "CAFCASS" and "Cafcass" are one entry to a reader.
    spellings: dict[str, list[str]] = {}
    for acronym, full_name in known_acronyms().items():
        spellings.setdefault(full_name, []).append(acronym)
    acronyms = sorted(
        ((" or ".join(forms), full_name) for full_name, forms in spellings.items()),
        key=lambda item: item[0].lower(),
    )
    return render(
        request,
        "search/help.html",
        {"types": TYPES, "acronyms": acronyms, "nav_section": "search"},
    )
