"""Search through the API, on the site's search service: everything, and questions by `q`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import SITE, World, get_json

pytestmark = pytest.mark.django_db


def test_search_finds_questions_and_consultations(client: Client, indexed_world: World) -> None:
    status, body = get_json(client, "/api/v1/search/?q=exploitation")
    assert status == 200, body
    kinds = {(hit["kind"], hit["html_url"]) for hit in body["results"]}
    assert ("question", f"{SITE}/written-questions/2009-10-27/295019/") in kinds
    assert ("consultation", f"{SITE}/consultations/safeguarding-children/") in kinds
    assert body["total"] == len(body["results"])
    question = next(hit for hit in body["results"] if hit["kind"] == "question")
    assert question["url"].startswith(f"{SITE}/api/v1/questions/2009-10-27/")
    assert "dcsf" in question["departments"]
    assert "<mark>exploitation</mark>" in question["snippet_html"].lower()
    assert "<mark>" not in question["snippet"]
    assert "exploitation" in question["snippet"].lower()
    assert body["counts"]["type"]["question"] >= 1
    assert body["next"] is None
    assert body["previous"] is None


def test_search_never_finds_drafts(client: Client, indexed_world: World) -> None:
    _, body = get_json(client, "/api/v1/search/?q=draft")
    assert all("secret-draft" not in hit["html_url"] for hit in body["results"])


def test_search_pages_with_cursors(client: Client, indexed_world: World) -> None:
    _, first = get_json(client, "/api/v1/search/?q=children&sort=newest&page_size=1")
    assert first["total"] >= 3
    seen = [first["results"][0]["html_url"]]
    url = first["next"]
    while url:
        _, page = get_json(client, url.removeprefix(SITE))
        seen.extend(hit["html_url"] for hit in page["results"])
        url = page["next"]
    assert len(seen) == first["total"]
    assert len(set(seen)) == len(seen)
    _, second = get_json(client, first["next"].removeprefix(SITE))
    _, back = get_json(client, second["previous"].removeprefix(SITE))
    assert back["results"] == first["results"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ('q="unclosed', "q"),
        ("q=-only", "q"),
        ("q=a&sort=oldest", "sort"),
        ("sort=newest", "q"),
        ("q=a&cursor=nonsense", None),
        ("q=a&page=2", "page"),
    ],
)
def test_bad_searches_are_400_problems(
    client: Client, indexed_world: World, query: str, parameter: str | None
) -> None:
    response = client.get(f"/api/v1/search/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    if parameter:
        assert parameter in response.json()["errors"]


def test_cursor_of_another_search_is_refused(client: Client, indexed_world: World) -> None:
    _, first = get_json(client, "/api/v1/search/?q=children&page_size=1")
    cursor = first["next"].split("cursor=")[1]
    assert client.get(f"/api/v1/search/?q=police&page_size=1&cursor={cursor}").status_code == 400


def test_without_an_index_search_is_a_503_to_retry(client: Client, world: World) -> None:
    for url in ["/api/v1/search/?q=children", "/api/v1/questions/?q=children"]:
        response = client.get(url)
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == "60"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=exploitation", ["295020", "295019"]),
        ("q=manpower", ["300001"]),
        ("q=exploitation&department=home-office", []),
        ('q="sexual exploitation" OR police', ["300001", "295020", "295019"]),
        ("q=children&answered=true", ["295020", "295019"]),
        ("q=safeguarding", []),  # matches a consultation, not a question
    ],
)
def test_questions_by_search(
    client: Client, indexed_world: World, query: str, expected: list[str]
) -> None:
    status, body = get_json(client, f"/api/v1/questions/?{query}")
    assert status == 200, body
    assert [q["identifier"] for q in body["results"]] == expected


def test_questions_bad_search_names_the_parameter(client: Client, indexed_world: World) -> None:
    _, body = get_json(client, '/api/v1/questions/?q="unclosed')
    assert "q" in body["errors"]


def test_search_is_rate_limited_like_everything_else(
    client: Client, indexed_world: World, settings: Any
) -> None:
    settings.API_RATE_LIMIT = 1
    assert client.get("/api/v1/search/?q=children").status_code == 200
    assert client.get("/api/v1/search/?q=children").status_code == 429
