"""Written questions through the API: shape, every filter, and bad filter values."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from moot.parliament.services.votes import answer_vote_cast
from tests.api.conftest import SITE, World, get_json
from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"


def identifiers(body: dict[str, Any]) -> list[str]:
    return [question["identifier"] for question in body["results"]]


def test_list_is_newest_first_with_answers_and_links(client: Client, world: World) -> None:
    status, body = get_json(client, QUESTIONS)
    assert status == 200
    assert identifiers(body) == ["300001", "295020", "295019", "hl1234"]
    question = body["results"][2]
    assert question["url"] == f"{SITE}/api/v1/questions/2009-10-27/295019/"
    assert question["html_url"] == f"{SITE}/written-questions/2009-10-27/295019/"
    assert question["department"] == {
        "slug": "dcsf",
        "name": "Department for Children, Schools and Families",
        "url": f"{SITE}/api/v1/departments/dcsf/",
        "html_url": f"{SITE}/departments/dcsf/",
    }
    assert question["asked_by"]["member"]["slug"] == "tim-loughton"
    assert question["asked_by"]["party"] == "Conservative"
    assert question["is_answered"] is True
    [answer] = question["answers"]
    assert answer["answered_by"]["name"] == "Beverley Hughes"
    assert answer["answered_by"]["position"].startswith("Minister of State")
    assert answer["body_html"] == "<p>Guidance was published in 2009.</p>"
    assert answer["body_text"] == "Guidance was published in 2009."
    assert [q["identifier"] for q in answer["questions"]] == ["295019", "295020"]
    assert answer["attachments"] == [
        {
            "title": "Annex A",
            "url": "https://example.org/annex.pdf",
            "file_type": "PDF",
            "file_size": 1234,
        }
    ]
    assert body["results"][0]["is_answered"] is False
    assert body["results"][0]["answers"] == []


def test_detail_by_permalink(client: Client, world: World) -> None:
    status, body = get_json(client, "/api/v1/questions/2009-10-27/295019/")
    assert status == 200
    assert body["heading"] == "Children: Sexual Exploitation"
    assert body["date_tabled"] == "2009-10-19"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/questions/2009-10-27/nope/",
        "/api/v1/questions/2009-02-30/295019/",  # no such day
    ],
)
def test_unknown_question_is_a_404_problem(client: Client, world: World, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2009-10-27", ["300001", "295020", "295019"]),
        ("date_to=2009-10-27", ["295020", "295019", "hl1234"]),
        ("date_from=2009-10-01&date_to=2009-10-31", ["295020", "295019"]),
        ("department=home-office", ["300001", "hl1234"]),
        ("house=lords", ["hl1234"]),
        ("house=commons", ["300001", "295020", "295019"]),
        ("answered=true", ["295020", "295019"]),
        ("answered=false", ["300001", "hl1234"]),
        ("asked_by=lord-example", ["hl1234"]),
        ("answered_by=beverley-hughes", ["295020", "295019"]),
        ("member=beverley-hughes", ["295020", "295019"]),
        ("member=tim-loughton", ["300001", "295020", "295019"]),
        ("department=dcsf&answered=false", []),
    ],
)
def test_filters(client: Client, world: World, query: str, expected: list[str]) -> None:
    status, body = get_json(client, f"{QUESTIONS}?{query}")
    assert status == 200, body
    assert identifiers(body) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=27-10-2009", "date_from"),
        ("date_to=2009-13-01", "date_to"),
        ("date_from=2009-11-01&date_to=2009-10-01", "date_to"),
        ("department=ministry-of-magic", "department"),
        ("department=home%00office", "department"),
        ("member=%C3%A9l%C3%A9onore", "member"),
        ("member=nobody", "member"),
        ("asked_by=nobody", "asked_by"),
        ("house=both", "house"),
        ("answered=perhaps", "answered"),
        ("departmnet=dcsf", "departmnet"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_bad_filter_values_are_400_problems(
    client: Client, world: World, query: str, parameter: str
) -> None:
    response = client.get(f"{QUESTIONS}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Bad request"
    assert body["type"] == f"{SITE}/api/#problem-bad-request"
    assert parameter in body["errors"], body
    assert body["detail"].startswith(parameter)


def test_unknown_department_message_names_it(client: Client, world: World) -> None:
    _, body = get_json(client, f"{QUESTIONS}?department=ministry-of-magic")
    assert body["errors"]["department"] == ["No department has the slug “ministry-of-magic”."]


def test_list_makes_a_fixed_number_of_queries(
    client: Client, world: World, django_assert_num_queries: Any
) -> None:
    # Questions; askers, their seats and offices; answers, answerers, their seats and
    # offices; the questions each answer answers; answer attachments; the answers' votes.
    with django_assert_num_queries(11):
        client.get(QUESTIONS)
    for number in range(30):
        WrittenQuestionFactory(identifier=f"extra-{number}", department=world.dcsf)
    with django_assert_num_queries(11):
        response = client.get(f"{QUESTIONS}?page_size=100")
    assert len(response.json()["results"]) == 34


def test_answers_carry_readers_vote_counts_and_nothing_of_the_voters(
    client: Client, world: World
) -> None:
    for number, side in enumerate([True, True, False]):
        answer_vote_cast(
            answer=world.answer,
            answers_question=side,
            voter_id=f"reader-{number}",
            ip_hash=f"address-{number}",
        )
    # A reader who changes their mind moves a count; they are not counted twice.
    answer_vote_cast(
        answer=world.answer, answers_question=True, voter_id="reader-2", ip_hash="address-2"
    )
    _, question = get_json(client, f"{QUESTIONS}2009-10-27/295019/")
    [answer] = question["answers"]
    assert answer["votes"] == {"yes": 3, "no": 0}
    unvoted = WrittenAnswerFactory(questions=[world.lords_question])
    _, listed = get_json(client, QUESTIONS)
    by_identifier = {q["identifier"]: q for q in listed["results"]}
    # The same answer, answering two questions, has the same counts under each.
    assert by_identifier["295019"]["answers"][0]["votes"] == {"yes": 3, "no": 0}
    assert by_identifier["295020"]["answers"][0]["votes"] == {"yes": 3, "no": 0}
    # An answer nobody voted on has counts of nought, not a missing field.
    [lords_answer] = by_identifier["hl1234"]["answers"]
    assert lords_answer["id"] == unvoted.pk
    assert lords_answer["votes"] == {"yes": 0, "no": 0}
    body = client.get(QUESTIONS).content.decode()
    assert "reader-" not in body
    assert "address-" not in body
    assert "voter" not in body
