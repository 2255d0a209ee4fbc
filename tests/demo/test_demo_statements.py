"""The demo's written statements: the seed department's guidance, announced and published,
by an invented minister, saying it is demo content, and found by search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from moot.demo import load_demo
from moot.parliament.models import WrittenStatement
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_guidance_statements_on_their_pages(client: Client) -> None:
    load_demo()
    statements = list(WrittenStatement.objects.order_by("date"))
    assert [s.date for s in statements] == [dt.date(2008, 3, 14), dt.date(2009, 6, 30)]
    for statement in statements:
        assert statement.department.slug == "department-for-children-schools-and-families"
        html = client.get(statement.get_absolute_url()).content.decode()
        assert statement.title in html
        assert ">Eleanor Whitfield</a>" in html
        assert "Minister of State (Department for Children, Schools and Families)" in html
        assert "Labour, Millbrook North" in html
        assert "illustrative demo content written for moot" in html
    assert "Working Together to Safeguard Children" in statements[0].body_html
    assert "closes on 12 June 2008" in statements[0].body_html


def test_the_demo_statements_are_found_by_search_and_again_loading_adds_none() -> None:
    load_demo()
    assert load_demo().created["written statements"] == 0
    search_index_rebuild()
    results = search_results(query="sexual exploitation type:statement")
    assert results.total == 2
