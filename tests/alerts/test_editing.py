"""Changing a search alert's words from the manage page, and seeing what a search finds today
before asking for or changing an alert."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from moot.alerts.models import Alert, Subscriber
from moot.alerts.tokens import manage_token
from moot.search.services import search_index_rebuild
from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EMAIL = "reader@example.org"


@pytest.fixture
def indexed() -> None:
    for number, heading in enumerate(["Railways: Timetables", "Railways: Fares", "Schools: Meals"]):
        question = WrittenQuestionFactory(heading=heading, identifier=f"q{number}")
        WrittenAnswerFactory(questions=[question], body_html=f"<p>About {heading}.</p>")
    search_index_rebuild()


def alerts_of_one_address() -> tuple[Subscriber, Alert, Alert, str]:
    subscriber = Subscriber.objects.create(email=EMAIL, daily_sent_at=timezone.now())
    railways = Alert.objects.create(subscriber=subscriber, kind="search", query="railways")
    schools = Alert.objects.create(subscriber=subscriber, kind="search", query="schools")
    return (
        subscriber,
        railways,
        schools,
        f"/alerts/manage/{manage_token(subscriber_id=subscriber.id)}/",
    )


def test_the_words_of_a_search_alert_can_be_changed_after_a_preview(
    client: Client, indexed: None
) -> None:
    _, railways, _, manage = alerts_of_one_address()
    page = client.get(manage).content.decode()
    edit = f"{manage}alerts/{railways.id}/words/"
    assert edit in page
    shown = text_of(client.get(edit).content.decode())
    assert "2 items match these words today" in shown
    assert "Railways: Fares" in shown

    preview = client.post(edit, {"query": "fares", "action": "preview"})
    assert preview.status_code == 200
    text = text_of(preview.content.decode())
    assert "1 item matches these words today" in text
    assert "Railways: Timetables" not in text
    railways.refresh_from_db()
    assert railways.query == "railways"  # a preview changes nothing

    saved = client.post(edit, {"query": "fares", "action": "save"})
    assert saved.status_code == 302
    railways.refresh_from_db()
    assert railways.query == "fares"


def test_bad_or_duplicate_words_are_refused_and_change_nothing(
    client: Client, indexed: None
) -> None:
    _, railways, _, manage = alerts_of_one_address()
    edit = f"{manage}alerts/{railways.id}/words/"
    duplicate = client.post(edit, {"query": "schools", "action": "save"})
    assert duplicate.status_code == 400
    assert "You already have an alert for that search" in text_of(duplicate.content.decode())
    unreadable = client.post(edit, {"query": '"unclosed', "action": "save"})
    assert unreadable.status_code == 400
    empty = client.post(edit, {"query": "", "action": "save"})
    assert "Enter what to search for" in text_of(empty.content.decode())
    railways.refresh_from_db()
    assert railways.query == "railways"


def test_another_addresss_alert_cannot_be_changed_with_ones_own_link(
    client: Client, indexed: None
) -> None:
    _, railways, _, _ = alerts_of_one_address()
    other = Subscriber.objects.create(email="other@example.org", daily_sent_at=timezone.now())
    own = f"/alerts/manage/{manage_token(subscriber_id=other.id)}/"
    response = client.post(f"{own}alerts/{railways.id}/words/", {"query": "x", "action": "save"})
    assert response.status_code == 404
    railways.refresh_from_db()
    assert railways.query == "railways"


def test_asking_for_an_alert_shows_what_the_search_finds_today(
    client: Client, indexed: None
) -> None:
    page = text_of(client.get("/alerts/?q=railways").content.decode())
    assert "What this search finds today" in page
    assert "2 items match these words today" in page
    nothing = text_of(client.get("/alerts/?q=zeppelins").content.decode())
    assert "Nothing matches these words today" in nothing
