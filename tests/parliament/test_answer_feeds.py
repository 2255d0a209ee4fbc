"""Atom feeds of written answers (all, per department, House and day), read back with
feedparser as a feed reader would, and linked from the pages they follow."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import feedparser
import pytest
from django.test import Client

from moot.parliament.models import House, WrittenAnswer, WrittenQuestion
from tests.factories import DepartmentFactory, WrittenAnswerFactory, WrittenQuestionFactory

pytestmark = pytest.mark.django_db

SITE = "https://moot.example.org"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE


def read(client: Client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


def answer(
    heading: str,
    day: dt.date,
    *,
    house: str = House.COMMONS,
    department: Any = None,
    **fields: Any,
) -> WrittenAnswer:
    department = department or DepartmentFactory()
    question = WrittenQuestionFactory(heading=heading, date=day, house=house, department=department)
    return WrittenAnswerFactory(
        questions=[question], date_answered=day, department=department, **fields
    )


@pytest.fixture
def answers() -> dict[str, WrittenAnswer]:
    home_office = DepartmentFactory(name="Home Office", slug="home-office")
    dcsf = DepartmentFactory(name="Children, Schools and Families", slug="dcsf")
    return {
        "oldest": answer(
            "Prisons", dt.date(2007, 12, 3), house=House.LORDS, department=home_office
        ),
        "middle": answer("Police: Manpower", dt.date(2007, 12, 4), department=home_office),
        "newest": answer("Children: Sexual Exploitation", dt.date(2007, 12, 5), department=dcsf),
        "same_day": answer("Schools: Meals", dt.date(2007, 12, 5), department=dcsf),
    }


def titles(feed: feedparser.FeedParserDict) -> list[str]:
    return [entry.title for entry in feed.entries]


def test_the_feed_of_all_answers_is_newest_first_with_stable_ids(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    feed = read(client, "/written-questions/feed.atom")
    assert feed.feed.title == "moot: written answers"
    assert feed.feed.id == f"{SITE}/written-questions/feed.atom"
    assert titles(feed) == [
        "Schools: Meals",
        "Children: Sexual Exploitation",
        "Police: Manpower",
        "Prisons",
    ]
    newest = answers["newest"]
    [entry] = [e for e in feed.entries if e.title == "Children: Sexual Exploitation"]
    assert entry.id == f"{SITE}/written-questions/answers/{newest.pk}/"
    question = newest.questions.get()
    assert entry.link == f"http://testserver{question.get_absolute_url()}#answer-{newest.pk}"
    assert entry.published.startswith("2007-12-05")
    assert "The Department has taken steps." in entry.summary
    assert entry.author == newest.answering_name
    assert {tag.term for tag in entry.tags} == {
        "Children, Schools and Families",
        "House of Commons",
    }
    # The same answer, fetched again through another host name, keeps its id.
    again = feedparser.parse(
        client.get("/written-questions/feed.atom", HTTP_HOST="localhost").content
    )
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]


def test_a_department_feed_has_its_answers_alone(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    feed = read(client, "/departments/home-office/written-answers.atom")
    assert feed.feed.title == "Home Office: written answers"
    assert titles(feed) == ["Police: Manpower", "Prisons"]
    assert client.get("/departments/nobody/written-answers.atom").status_code == 404


def test_a_house_feed_has_answers_to_that_houses_questions(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    assert titles(read(client, "/written-questions/lords/feed.atom")) == ["Prisons"]
    commons = read(client, "/written-questions/commons/feed.atom")
    assert commons.feed.title == "House of Commons: written answers"
    assert "Prisons" not in titles(commons)
    assert len(commons.entries) == 3


def test_a_day_feed_has_that_days_answers(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    feed = read(client, "/written-questions/2007-12-05/feed.atom")
    assert titles(feed) == ["Schools: Meals", "Children: Sexual Exploitation"]
    assert titles(read(client, "/written-questions/2007-12-06/feed.atom")) == []
    assert client.get("/written-questions/2007-13-45/feed.atom").status_code == 404


def test_a_newer_version_updates_its_entry_and_a_removed_record_leaves(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    before = {e.id: e for e in read(client, "/written-questions/feed.atom").entries}
    middle = answers["middle"]
    # A newer version of the record (or the full answer after a holding one) updates the
    # answer in place: the same entry, updated, not a second one.
    middle.body_html = "<p>A revised answer.</p>"
    middle.save()
    removed_id = f"{SITE}/written-questions/answers/{answers['oldest'].pk}/"
    answers["oldest"].delete()  # removed by a newer version of its file
    after = {e.id: e for e in read(client, "/written-questions/feed.atom").entries}
    middle_id = f"{SITE}/written-questions/answers/{middle.pk}/"
    assert set(after) == set(before) - {removed_id}
    assert "A revised answer." in after[middle_id].summary
    assert after[middle_id].updated > before[middle_id].updated
    assert after[middle_id].published == before[middle_id].published


def test_holding_answers_corrections_and_withdrawn_questions_say_so(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    middle = answers["middle"]
    question = middle.questions.get()
    correction = WrittenAnswerFactory(
        questions=[question],
        date_answered=dt.date(2007, 12, 10),
        department=middle.department,
        corrects=middle,
    )
    holding = answer("Asylum: Appeals", dt.date(2007, 12, 6), is_holding=True)
    WrittenQuestion.objects.filter(pk=answers["newest"].questions.get().pk).update(
        is_withdrawn=True
    )
    feed = read(client, "/written-questions/feed.atom")
    by_id = {e.id: e.title for e in feed.entries}
    entry_id = f"{SITE}/written-questions/answers/{{}}/".format
    # The correction is its own entry, first as the newest; the answer it corrects stays.
    assert feed.entries[0].id == entry_id(correction.pk)
    assert by_id[entry_id(correction.pk)] == "Correction: Police: Manpower"
    assert by_id[entry_id(middle.pk)] == "Police: Manpower"
    assert by_id[entry_id(holding.pk)] == "Asylum: Appeals (holding answer)"
    assert by_id[entry_id(answers["newest"].pk)] == (
        "Children: Sexual Exploitation (question withdrawn)"
    )
    # The full answer replaces the holding one in place: same entry, no longer "holding".
    holding.is_holding = False
    holding.body_html = "<p>The full answer.</p>"
    holding.save()
    again = {e.id: e for e in read(client, "/written-questions/feed.atom").entries}
    assert again[entry_id(holding.pk)].title == "Asylum: Appeals"
    assert len(again) == len(by_id)


def test_pages_link_to_their_answer_feeds(
    client: Client, answers: dict[str, WrittenAnswer]
) -> None:
    pages = {
        "/written-questions/": "/written-questions/feed.atom",
        "/written-questions/2007-12-05/": "/written-questions/2007-12-05/feed.atom",
        "/departments/home-office/": "/departments/home-office/written-answers.atom",
        "/recently-answered/": "/written-questions/feed.atom",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        head = html.split("</head>")[0]
        alternate = (
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
            rf'href="{re.escape(feed)}">'
        )
        assert re.search(alternate, head), page
        body = html.split("</head>")[1]
        assert f'href="{feed}"' in body, page  # a visible link too
    index = client.get("/written-questions/").content.decode()
    assert 'href="/written-questions/lords/feed.atom"' in index
    assert 'href="/written-questions/commons/feed.atom"' in index
