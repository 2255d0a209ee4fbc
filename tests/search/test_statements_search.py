"""Written statements in search: logged by the triggers, indexed from the change log, found
by their words, type, department, member and party, and in the search feeds."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.test import Client

from moot.search.changes import affected_keys
from moot.search.documents import statement_document
from moot.search.models import SearchChange
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild
from tests.factories import DepartmentFactory, MembershipFactory, PartyFactory, PersonFactory
from tests.search.conftest import update
from tests.statement_factories import WrittenStatementFactory

pytestmark = pytest.mark.django_db


def keys(query: str) -> list[str]:
    results = search_results(query=query, page_size=100)
    assert results.error == "", results.error
    return [hit.document.key for hit in results.hits]


def test_saving_and_deleting_a_statement_is_logged() -> None:
    statement = WrittenStatementFactory()
    statement.title = "Changed"
    statement.save()
    pk = statement.pk
    statement.delete()
    logged = list(SearchChange.objects.filter(kind="statement").values_list("object_id", flat=True))
    assert logged.count(pk) == 3


def test_a_person_or_department_maps_to_their_statements() -> None:
    statement = WrittenStatementFactory()
    other = WrittenStatementFactory()
    person_change = SearchChange(kind="person", object_id=statement.person_id)
    department_change = SearchChange(kind="department", object_id=other.department_id)
    assert f"statement:{statement.pk}" in affected_keys([person_change])
    assert f"statement:{other.pk}" in affected_keys([department_change])
    assert f"statement:{other.pk}" not in affected_keys([person_change])


def test_a_statement_document_holds_its_words_minister_party_and_department() -> None:
    party = PartyFactory(name="Labour", slug="labour")
    person = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    MembershipFactory(person=person, party=party, start_date=dt.date(2005, 5, 5))
    department = DepartmentFactory(name="Department for Children, Schools and Families")
    statement = WrittenStatementFactory(
        person=person,
        department=department,
        title="Safeguarding Children",
        member_role="Minister for Children, Young People and Families",
        body_html="<p>Revised guidance on <b>sexual exploitation</b>.</p>",
    )
    document = statement_document(statement)
    assert document.kind == "statement"
    assert document.url == statement.get_absolute_url()
    assert document.date == statement.date
    assert "Revised guidance on sexual exploitation." in document.body
    assert "<b>" not in document.body
    assert document.member_slugs == ("beverley-hughes",)
    assert document.party_slugs == ("labour",)
    assert document.department_slugs == (department.slug,)


def test_statements_are_found_and_filtered_by_type_department_member_and_party() -> None:
    party = PartyFactory(name="Labour", slug="labour")
    person = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    MembershipFactory(person=person, party=party, start_date=dt.date(2005, 5, 5))
    dcsf = DepartmentFactory(name="Department for Children, Schools and Families", slug="dcsf")
    statement = WrittenStatementFactory(
        person=person,
        department=dcsf,
        title="Safeguarding Children",
        body_html="<p>Guidance on trafficked children is published today.</p>",
    )
    WrittenStatementFactory(title="Pensions", body_html="<p>Pension rates for 2010.</p>")
    search_index_rebuild()
    key = f"statement:{statement.pk}"
    assert keys("trafficked") == [key]
    assert keys("trafficked type:statement") == [key]
    assert keys("trafficked type:statements") == [key]
    assert keys("trafficked type:question") == []
    assert keys("department:dcsf") == [key]
    assert keys("member:beverley-hughes") == [key]
    assert keys('member:"Beverley Hughes"') == [key]
    assert keys("party:labour type:statement") == [key]
    results = search_results(query="type:statement")
    assert results.total == 2
    type_facet = {value.value: value for value in results.facets["type"]}
    assert type_facet["statement"].label == "Written statements"
    assert results.hits[0].kind_name == "Written statement"


# Committed transactions, as the worker sees them: on PostgreSQL the indexer only applies
# changes of transactions that have finished.
@pytest.mark.django_db(transaction=True)
def test_a_new_statement_is_found_once_the_change_log_is_applied() -> None:
    search_index_rebuild()
    assert keys("vetting") == []
    statement = WrittenStatementFactory(body_html="<p>The vetting and barring scheme.</p>")
    update()
    assert keys("vetting") == [f"statement:{statement.pk}"]
    statement.body_html = "<p>Nothing about that any more.</p>"
    statement.save()
    update()
    assert keys("vetting") == []
    statement.delete()
    update()
    assert keys("type:statement") == []


def test_an_unknown_type_names_statements_among_the_types() -> None:
    results = search_results(query="type:motion")
    assert "type:statement" in results.error


def test_the_search_page_and_member_feed_show_statements(client: Client) -> None:
    person = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    statement = WrittenStatementFactory(person=person, title="Children's Trusts")
    search_index_rebuild()
    page = client.get("/search/", {"q": "type:statement"}).content.decode()
    assert "Children&#x27;s Trusts" in page
    assert "Written statement" in page
    feed = feedparser.parse(client.get("/members/beverley-hughes/feed.atom").content)
    assert len(feed.entries) == 1
    assert feed.entries[0].link.endswith(statement.get_absolute_url())
    assert feed.entries[0].author == "Beverley Hughes"
