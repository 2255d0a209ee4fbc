from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    return render(request, "search/help.html", {"types": TYPES, "nav_section": "search"})
