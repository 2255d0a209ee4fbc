"""What every endpoint shares: cursor pages, conditional requests, CORS and problem details."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote, unquote

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path
from django.utils.http import http_date

from moot.api.pagination import CURSOR_SALT
from moot.parliament.models import WrittenQuestion
from tests.api.conftest import SITE, World, get_json
from tests.factories import WrittenQuestionFactory

pytestmark = pytest.mark.django_db


def walk(client: Client, url: str, key: str = "next") -> list[list[str]]:
    """Every page from ``url`` following ``key`` links, as lists of identifiers."""
    pages = []
    while url:
        status, body = get_json(client, url.removeprefix(SITE))
        assert status == 200, body
        pages.append([q["identifier"] for q in body["results"]])
        url = body[key]
    return pages


@pytest.fixture
def many_questions(world: World) -> list[str]:
    """Twelve questions on two days, plus the world's four: several share a date."""
    for number in range(12):
        WrittenQuestionFactory(
            date=dt.date(2009, 12, 1 + number % 2),
            identifier=f"q{number:02}",
            department=world.dcsf,
        )
    return list(
        WrittenQuestion.objects.order_by("-date", "-id").values_list("identifier", flat=True)
    )


def test_cursor_pages_cover_everything_once_in_order(
    client: Client, many_questions: list[str]
) -> None:
    pages = walk(client, "/api/v1/questions/?page_size=5")
    assert [len(page) for page in pages] == [5, 5, 5, 1]
    assert [i for page in pages for i in page] == many_questions


def test_previous_links_walk_back(client: Client, many_questions: list[str]) -> None:
    _, first = get_json(client, "/api/v1/questions/?page_size=5")
    assert first["previous"] is None
    _, second = get_json(client, first["next"].removeprefix(SITE))
    _, third = get_json(client, second["next"].removeprefix(SITE))
    _, back = get_json(client, third["previous"].removeprefix(SITE))
    assert back["results"] == second["results"]
    _, start = get_json(client, back["previous"].removeprefix(SITE))
    assert start["results"] == first["results"]
    assert start["previous"] is None
    assert start["next"] is not None


def test_links_keep_the_filters_and_are_in_the_link_header(
    client: Client, many_questions: list[str]
) -> None:
    response = client.get("/api/v1/questions/?department=dcsf&page_size=2")
    body = response.json()
    assert body["next"].startswith(f"{SITE}/api/v1/questions/?department=dcsf&page_size=2&cursor=")
    assert response["Link"] == f'<{body["next"]}>; rel="next"'


def test_rows_added_meanwhile_do_not_shift_pages(
    client: Client, world: World, many_questions: list[str]
) -> None:
    _, first = get_json(client, "/api/v1/questions/?page_size=5")
    WrittenQuestionFactory(date=dt.date(2010, 1, 1), identifier="newer", department=world.dcsf)
    _, second = get_json(client, first["next"].removeprefix(SITE))
    assert [q["identifier"] for q in second["results"]] == many_questions[5:10]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        signing.dumps({"o": "-date,-id", "v": ["2009-01-01", 1], "d": "n"}, salt="other"),
        # Issued for another list, with that list's ordering.
        signing.dumps({"o": "slug", "v": ["a"], "d": "n"}, salt=CURSOR_SALT, compress=True),
        signing.dumps({"o": "-date,-id", "v": ["not a date", 1], "d": "n"}, salt=CURSOR_SALT),
        signing.dumps({"o": "-date,-id", "v": ["2009-01-01"], "d": "n"}, salt=CURSOR_SALT),
        signing.dumps({"o": "-date,-id", "v": ["2009-01-01", 1], "d": "x"}, salt=CURSOR_SALT),
    ],
)
def test_bad_cursor_is_a_400_problem(client: Client, world: World, cursor: str) -> None:
    response = client.get("/api/v1/questions/", {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "cursor" in response.json()["detail"]


def test_cursor_from_one_list_is_refused_by_another(client: Client, world: World) -> None:
    _, members = get_json(client, "/api/v1/members/?page_size=1")
    cursor = members["next"].split("cursor=")[1]
    assert client.get(f"/api/v1/departments/?cursor={cursor}").status_code == 200  # same order
    assert client.get(f"/api/v1/questions/?cursor={cursor}").status_code == 400


def test_etag_and_if_none_match(client: Client, world: World) -> None:
    first = client.get("/api/v1/questions/")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert len(etag) > 10
    again = client.get("/api/v1/questions/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/questions/?house=lords", headers={"if-none-match": etag})
    assert other.status_code == 200
    # Any change to what is shown changes the ETag, even in an answer.
    world.answer.body_html = "<p>Corrected.</p>"
    world.answer.save()
    changed = client.get("/api/v1/questions/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


class RevalidatingClient:
    """What an HTTP cache in a client does: keep each response with its ETag, ask again with
    If-None-Match, and on a 304 use the copy it holds."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.copies: dict[str, tuple[str, bytes]] = {}

    def get(self, url: str) -> tuple[int, str, bytes]:
        """The status the server gave, the ETag of what the reader now holds, and its body."""
        held = self.copies.get(url)
        headers = {"if-none-match": held[0]} if held else {}
        response = self.client.get(url, headers=headers)
        if response.status_code == 304 and held:
            return 304, held[0], held[1]
        assert response.status_code == 200, response.content
        self.copies[url] = (response["ETag"], response.content)
        return 200, response["ETag"], response.content


def test_if_none_match_works_seconds_apart_until_the_data_changes(
    client: Client, world: World
) -> None:
    reader = RevalidatingClient(client)
    first_page = "/api/v1/questions/?page_size=2"
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC), tick=False) as clock:
        status, etag, body = reader.get(first_page)
        second_page = json.loads(body)["next"].removeprefix(SITE)
        reader.get(second_page)
        clock.shift(5)
        # The next link is signed anew each time; the page (and so its ETag) is the same.
        assert reader.get(first_page) == (304, etag, body)
        assert reader.get(second_page)[0] == 304
        clock.shift(5)
        WrittenQuestionFactory(date=dt.date(2010, 1, 1), heading="Newer than the rest")
        status, new_etag, new_body = reader.get(first_page)
        assert status == 200
        assert new_etag != etag
        assert json.loads(new_body)["results"][0]["heading"] == "Newer than the rest"
        clock.shift(5)
        assert reader.get(first_page) == (304, new_etag, new_body)


def test_cursors_issued_with_a_timestamp_still_work(client: Client, world: World) -> None:
    _, page = get_json(client, "/api/v1/questions/?page_size=2")
    old_style = signing.dumps(
        signing.Signer(salt=CURSOR_SALT).unsign_object(unquote(page["next"].split("cursor=")[1])),
        salt=CURSOR_SALT,
        compress=True,
    )
    status, body = get_json(client, f"/api/v1/questions/?page_size=2&cursor={quote(old_style)}")
    assert status == 200
    _, expected = get_json(client, page["next"].removeprefix(SITE))
    assert body["results"] == expected["results"]


def test_last_modified_and_if_modified_since(client: Client, world: World) -> None:
    response = client.get("/api/v1/questions/2009-10-27/295019/")
    newest = max(world.answered.updated_at, world.answer.updated_at)
    assert response["Last-Modified"] == http_date(newest.timestamp())
    since = client.get(
        "/api/v1/questions/2009-10-27/295019/",
        headers={"if-modified-since": response["Last-Modified"]},
    )
    assert since.status_code == 304
    earlier = http_date((newest - dt.timedelta(minutes=1)).timestamp())
    stale = client.get(
        "/api/v1/questions/2009-10-27/295019/", headers={"if-modified-since": earlier}
    )
    assert stale.status_code == 200
    # An answer edited since counts as a change to the question.
    type(world.answer).objects.filter(pk=world.answer.pk).update(
        updated_at=newest + dt.timedelta(hours=1)
    )
    later = client.get(
        "/api/v1/questions/2009-10-27/295019/",
        headers={"if-modified-since": response["Last-Modified"]},
    )
    assert later.status_code == 200
    assert later["Last-Modified"] == http_date((newest + dt.timedelta(hours=1)).timestamp())


def test_head_has_headers_and_no_body(client: Client, world: World) -> None:
    get = client.get("/api/v1/departments/")
    head = client.head("/api/v1/departments/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))


def test_cors_on_reads_errors_and_preflight(client: Client, world: World) -> None:
    origin = {"origin": "https://example.org"}
    for url in ["/api/v1/questions/", "/api/v1/questions/?house=x", "/api/v1/nothing/"]:
        response = client.get(url, headers=origin)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/questions/",
        headers={
            **origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_pages_outside_the_api_get_no_cors(client: Client, world: World) -> None:
    assert "Access-Control-Allow-Origin" not in client.get("/consultations/")


def test_unknown_address_is_a_404_problem_not_a_page(client: Client) -> None:
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": f"{SITE}/api/#problem-not-found",
        "title": "Not found",
        "status": 404,
        "detail": "Nothing is published at this address.",
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_problems(client: Client, world: World, method: str) -> None:
    response = getattr(client, method)("/api/v1/questions/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["status"] == 405


def _explode(request: Any) -> Any:
    raise RuntimeError("boom")


def _forbidden(request: Any) -> Any:
    raise PermissionDenied("Not for you.")


urlpatterns = [
    path("api/v1/explode/", _explode),
    path("api/v1/forbidden/", _forbidden),
    path("", include("moot.urls")),
]


@pytest.mark.urls("tests.api.test_protocol")
def test_forbidden_is_a_403_problem(client: Client) -> None:
    response = client.get("/api/v1/forbidden/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Not for you."


@pytest.mark.urls("tests.api.test_protocol")
def test_server_error_is_a_500_problem_and_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.raise_request_exception = False
    response = client.get("/api/v1/explode/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Server error"
    assert "boom" not in response.content.decode()
    assert any("boom" in str(record.exc_info) for record in caplog.records)


def test_json_whatever_accept_says(client: Client, world: World) -> None:
    response = client.get("/api/v1/departments/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_index_links_everything(client: Client) -> None:
    status, body = get_json(client, "/api/v1/")
    assert status == 200
    assert body["questions"] == f"{SITE}/api/v1/questions/"
    assert body["openapi"] == f"{SITE}/api/v1/openapi.json"
    assert body["documentation"] == f"{SITE}/api/"
