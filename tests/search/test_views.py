"""The search page and the help page, through the client."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import unquote_plus

import pytest
from django.test import Client
from django.urls import reverse

from moot.demo import load_demo
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild
from tests.factories import DepartmentFactory, WrittenQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed() -> None:
    department = DepartmentFactory(name="Home Office", slug="home-office")
    for n in range(23):
        WrittenQuestionFactory(
            heading=f"Missing children {n}",
            text="To ask how many children were reported missing.",
            department=department,
        )
    WrittenQuestionFactory(heading="Sea <b>defences</b>", text="Coastal erosion & flooding.")
    search_index_rebuild()


def test_an_empty_search_page_explains_what_can_be_searched(client: Client) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" not in html
    assert 'href="/search/help/"' in html
    assert 'name="q"' in html


@pytest.mark.django_db(transaction=True)
def test_results_show_count_facets_snippets_sort_and_pages(
    client: Client, indexed: None, django_assert_num_queries: Callable[..., Any]
) -> None:
    # Two index probes for changes not yet indexed (the rest of the indexed transaction,
    # later transactions), one for department names. (Committed data: on PostgreSQL,
    # changes of a transaction still open are rightly left waiting.)
    with django_assert_num_queries(3):
        response = client.get("/search/", {"q": "missing children"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>missing children: search – moot</title>" in html
    assert "23 results for" in text_of(html)
    assert len(re.findall(r'<li class="moot-search-result"', html)) == 20
    assert "<mark>Missing</mark> <mark>children</mark>" in html
    assert 'data-facet="department"' in html
    assert 'href="/search/?q=missing+children+department%3Ahome-office"' in html
    assert 'href="?q=missing+children&amp;sort=newest"' in html
    assert 'class="govuk-pagination"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    page_two = client.get("/search/", {"q": "missing children", "page": "2"}).content.decode()
    assert len(re.findall(r'<li class="moot-search-result"', page_two)) == 3
    assert 'start="21"' in page_two


def test_newest_first_is_kept_when_searching_again(client: Client, indexed: None) -> None:
    html = client.get("/search/", {"q": "missing", "sort": "newest"}).content.decode()
    assert '<input type="hidden" name="sort" value="newest">' in html
    assert "<strong>newest first</strong>" in html


def test_text_from_records_is_escaped(client: Client, indexed: None) -> None:
    html = client.get("/search/", {"q": "defences"}).content.decode()
    assert "Sea &lt;b&gt;<mark>defences</mark>&lt;/b&gt;" in html
    assert "<b>defences</b>" not in html


def test_a_query_that_cannot_be_read_gets_an_error_summary_not_a_500(
    client: Client, indexed: None
) -> None:
    response = client.get("/search/", {"q": 'children "missing'})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_q"' in html
    assert "quotation mark at character 10 is not closed" in text_of(html)
    assert "govuk-input--error" in html
    assert "moot-search-result" not in html


def test_bad_page_and_sort_values_fall_back_to_defaults(client: Client, indexed: None) -> None:
    for params in ({"page": "nine"}, {"page": "-3"}, {"page": "1000"}, {"sort": "oldest"}):
        response = client.get("/search/", {"q": "missing", **params})
        assert response.status_code == 200
        assert "moot-search-result" in response.content.decode()


def test_no_results_suggests_what_to_try(client: Client, indexed: None) -> None:
    html = client.get("/search/", {"q": "zeppelins"}).content.decode()
    assert "No results for" in text_of(html)
    assert "checking the spelling" in html


def test_search_says_when_the_index_is_not_built_yet(client: Client) -> None:
    html = client.get("/search/", {"q": "anything"}).content.decode()
    assert "Search is not available yet" in html


def test_alerts_are_offered_once_the_alerts_app_has_its_form(
    client: Client, indexed: None, settings: Any
) -> None:
    html = client.get("/search/", {"q": "missing children"}).content.decode()
    try:
        reverse("alerts:create")
    except Exception:
        assert "Get email alerts for this search" not in html
    settings.ROOT_URLCONF = "tests.search.urls_with_alerts"
    html = client.get("/search/", {"q": "missing children"}).content.decode()
    link = reverse("alerts:create") + "?q=missing%20children"
    assert f'href="{link}">Get email alerts for this search' in html


def test_the_help_page_documents_every_operator_with_examples(client: Client) -> None:
    response = client.get("/search/help/")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for example in (
        '"sexual exploitation"',
        "grooming AND internet",
        "trafficking OR prostitution",
        "children trafficking OR prostitution",
        "(sexual exploitation) OR trafficking",
        "children NOT trafficking",
        "children NOT (trafficking OR prostitution)",
        "children -prostitution",
        "LSCB",
        "DL39BG",
        "safeguarding NOT type:question",
        "member:helen-southworth",
        "party:labour",
        "department:home-office",
        "type:consultation",
        "date:2007-12-01..2007-12-31",
    ):
        assert example in text


def test_a_misused_operator_is_explained_on_the_page(client: Client, indexed: None) -> None:
    for query, message in [
        ("NOT missing", "A search can't be only NOT words: add at least one word or filter"),
        ("children NOT", "NOT needs a word after it"),
        ("OR children", "OR needs a word or phrase on both sides"),
        ("children OR NOT missing", "OR can't join a NOT word"),
        ("(children missing", "is not closed"),
    ]:
        html = client.get("/search/", {"q": query}).content.decode()
        assert 'class="govuk-error-summary"' in html, query
        assert message in text_of(html), query
        assert "moot-search-result" not in html


def test_not_leaves_out_results_on_the_page(client: Client, indexed: None) -> None:
    WrittenQuestionFactory(heading="Missing persons", text="To ask about missing adults.")
    search_index_rebuild()
    html = client.get("/search/", {"q": "missing NOT children"}).content.decode()
    assert "1 result for" in text_of(html)
    assert "persons</a>" in html
    assert "children 1" not in html
    html = client.get("/search/", {"q": "missing -children"}).content.decode()
    assert "1 result for" in text_of(html)


def test_the_api_gives_the_same_message_for_a_misused_operator(
    client: Client, indexed: None
) -> None:
    response = client.get("/api/v1/search/", {"q": "NOT missing"})
    assert response.status_code == 400
    assert response.json()["errors"]["q"] == [
        "A search can't be only NOT words: add at least one word or filter to look for, "
        "like children NOT trafficking."
    ]
    response = client.get("/api/v1/search/", {"q": "missing NOT children"})
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_the_help_page_lists_the_known_acronyms(client: Client) -> None:
    html = client.get("/search/help/").content.decode()
    listed = text_of(html)
    assert "LSCB Local Safeguarding Children Board" in listed
    assert "CAFCASS or Cafcass Children and Family Court Advisory and Support Service" in listed
    assert "LA " not in listed.split("acronyms search knows")[1]


@pytest.mark.django_db(transaction=True)
def test_every_example_on_the_help_page_finds_something_in_the_demo_data(
    client: Client,
) -> None:
    load_demo()
    search_index_rebuild()
    html = client.get("/search/help/").content.decode()
    examples = [unquote_plus(q) for q in re.findall(r'href="/search/\?q=([^"]+)"', html)]
    assert len(examples) > 25
    for query in examples:
        results = search_results(query=unescape(query))
        assert results.error == "", (query, results.error)
        assert results.total > 0, query
