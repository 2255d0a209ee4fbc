"""The "Alert me" pages: what they offer, bad input, limits, and the bounce webhook."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moot.alerts.models import Alert, AlertRequest, DeliveryProblem, Subscriber
from tests.alerts.conftest import link_to
from tests.conftest import ReceivedMail
from tests.consultations.test_respond import run_tasks
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    PersonFactory,
    WrittenQuestionFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def page_text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_any_search_can_become_an_alert(client: Client) -> None:
    response = client.get("/alerts/?q=child+exploitation+-trafficking")
    assert 'value="child exploitation -trafficking"' in response.content.decode()
    assert "Get an email alert" in text_of(response.content.decode())


def test_member_alert_is_a_query_the_person_can_see(client: Client) -> None:
    person = PersonFactory(name="Helen Southworth", slug="helen-southworth")
    text = page_text(client, f"/alerts/?member={person.slug}")
    assert "Alerts about Helen Southworth" in text
    assert (
        'value="member:helen-southworth"'
        in client.get(f"/alerts/?member={person.slug}").content.decode()
    )


def test_department_and_consultation_offer_choices(client: Client) -> None:
    department = DepartmentFactory(name="Home Office", slug="home-office")
    text = page_text(client, "/alerts/?department=home-office")
    assert "Everything new from Home Office" in text
    assert "New consultations from Home Office" in text
    assert "Home Office consultations closing within 7 days" in text
    assert "Outcomes of Home Office consultations" in text

    open_one = ConsultationFactory(department=department, slug="policing")
    text = page_text(client, "/alerts/?consultation=policing")
    assert "A reminder 7 days before it closes" in text
    assert "When the outcome is published" in text
    assert "New consultations from Home Office" in text

    closing_soon = ConsultationFactory(
        department=department, closes_at=timezone.now() + dt.timedelta(days=3)
    )
    text = page_text(client, f"/alerts/?consultation={closing_soon.id}")
    assert "A reminder 7 days before it closes" not in text
    assert open_one.title not in text


@pytest.mark.parametrize(
    "parameters",
    ["member=nobody", "department=nowhere", "question=999", "question=abc", "consultation=x"],
)
def test_unknown_records_are_not_found(client: Client, parameters: str) -> None:
    assert client.get(f"/alerts/?{parameters}").status_code == 404


def test_draft_consultations_offer_no_alerts(client: Client) -> None:
    draft = ConsultationFactory(published_at=None)
    assert client.get(f"/alerts/?consultation={draft.slug}").status_code == 404


def test_question_alert_suggests_its_heading_as_words_and_phrases(client: Client) -> None:
    question = WrittenQuestionFactory(heading='Schools: "Free" Meals (OR Lunches)')
    response = client.get(f"/alerts/?question={question.id}")
    assert 'value="Schools &quot;Free Meals Lunches&quot;"' in response.content.decode()


def test_a_query_that_cannot_be_read_is_explained_and_sends_nothing(
    client: Client, smtp_server: ReceivedMail
) -> None:
    response = client.post(
        "/alerts/", {"email": "a@example.org", "query": '"unclosed', "frequency": "daily"}
    )
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "There is a problem" in text
    assert "is not closed" in text
    assert smtp_server.messages == []
    assert not AlertRequest.objects.exists()


def test_missing_fields_are_explained(client: Client) -> None:
    response = client.post("/alerts/?department=nowhere-yet", {})
    assert response.status_code == 404
    DepartmentFactory(slug="dept")
    text = text_of(client.post("/alerts/?department=dept", {"email": "nope"}).content.decode())
    assert "Enter an email address in the correct format" in text
    assert "Choose what you want to hear about" in text
    assert "Choose how often you want emails" in text


def test_consultation_alert_from_its_page(client: Client, smtp_server: ReceivedMail) -> None:
    consultation = ConsultationFactory(slug="policing")
    response = client.post(
        "/alerts/?consultation=policing",
        {"email": "a@example.org", "option": "outcome", "frequency": "immediate"},
    )
    assert response.status_code == 302
    (message,) = smtp_server.messages
    client.post(link_to(message, "/alerts/confirm/"))
    alert = Alert.objects.get()
    assert (alert.kind, alert.consultation, alert.query) == ("outcome", consultation, "")


def test_requests_are_limited_per_client(
    client: Client, smtp_server: ReceivedMail, settings: pytest.FixtureRequest
) -> None:
    settings.ALERTS_REQUESTS_PER_HOUR = 2  # type: ignore[attr-defined]
    data = {"query": "tax", "frequency": "daily"}
    for number in range(2):
        response = client.post("/alerts/", {"email": f"p{number}@example.org", **data})
        assert response.status_code == 302
    response = client.post("/alerts/", {"email": "p3@example.org", **data})
    assert response.status_code == 429
    assert "Too many requests" in text_of(response.content.decode())
    assert len(smtp_server.messages) == 2
    assert client.post("/alerts/manage/", {"email": "p0@example.org"}).status_code == 302


def test_one_address_is_not_flooded_by_requests_from_many_clients(
    smtp_server: ReceivedMail,
) -> None:
    for number in range(8):
        client = Client(REMOTE_ADDR=f"192.0.2.{number}")
        response = client.post(
            "/alerts/",
            {"email": "victim@example.org", "query": f"word{number}", "frequency": "daily"},
        )
        assert response.status_code == 302  # the same page every time
    assert len(smtp_server.to("victim@example.org")) == 5


def test_mail_server_trouble_is_explained_not_a_500(
    client: Client, smtp_server: ReceivedMail, settings: pytest.FixtureRequest
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # type: ignore[attr-defined]
    response = client.post(
        "/alerts/", {"email": "a@example.org", "query": "tax", "frequency": "daily"}
    )
    assert response.status_code == 200
    assert "We could not send the email just now" in text_of(response.content.decode())


def test_expired_confirmation_link(client: Client, smtp_server: ReceivedMail) -> None:
    client.post("/alerts/", {"email": "a@example.org", "query": "tax", "frequency": "daily"})
    confirm = link_to(smtp_server.messages[0], "/alerts/confirm/")
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        response = client.post(confirm)
    assert response.status_code == 400
    assert "expired" in text_of(response.content.decode())
    assert not Alert.objects.exists()


def test_pages_link_to_alerts(client: Client) -> None:
    person = PersonFactory()
    department = DepartmentFactory()
    consultation = ConsultationFactory(department=department)
    question = WrittenQuestionFactory(department=department, asking_person=person)
    assert (
        f"/alerts/?member={person.slug}" in client.get(f"/members/{person.slug}/").content.decode()
    )
    department_page = client.get(f"/departments/{department.slug}/").content.decode()
    assert f"/alerts/?department={department.slug}" in department_page
    consultation_page = client.get(consultation.get_absolute_url()).content.decode()
    assert f"/alerts/?consultation={consultation.slug}" in consultation_page
    assert (
        f"/alerts/?question={question.id}"
        in client.get(question.get_absolute_url()).content.decode()
    )


def webhook(
    client: Client,
    body: object,
    secret: str = "s3cret",  # noqa: S107
) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/alerts/delivery-problems/",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    return response.status_code, response.json() if response.status_code != 404 else {}


def test_bounce_webhook_needs_its_secret_and_suspends(
    settings: pytest.FixtureRequest,
) -> None:
    client = Client(enforce_csrf_checks=True)
    subscriber = Subscriber.objects.create(email="gone@example.org", daily_sent_at=timezone.now())
    Alert.objects.create(subscriber=subscriber, kind="search", query="tax")
    assert webhook(client, {"email": "gone@example.org", "kind": "hard_bounce"})[0] == 404

    settings.ALERTS_WEBHOOK_SECRET = "s3cret"  # type: ignore[attr-defined]
    assert webhook(client, {"email": "gone@example.org", "kind": "hard_bounce"}, "wrong")[0] == 403
    assert webhook(client, {"email": "gone@example.org"})[0] == 400
    assert webhook(client, {"email": "gone@example.org", "kind": "bogus"})[0] == 400
    status, body = webhook(
        client,
        [{"email": "GONE@example.org", "kind": "complaint", "detail": "spam button"},
         {"email": "unknown@example.org", "kind": "soft_bounce"}],
    )  # fmt: skip
    assert (status, body) == (200, {"recorded": 2, "suspended": 1})
    subscriber.refresh_from_db()
    assert subscriber.suspension_reason == "complaint"
    assert DeliveryProblem.objects.count() == 2


def test_search_page_offers_an_alert_for_the_search(client: Client) -> None:
    from moot.search.services import search_index_rebuild

    search_index_rebuild()
    page = client.get("/search/?q=child+exploitation").content.decode()
    assert "/alerts/?q=child%20exploitation" in page


def test_department_wide_consultation_alert_from_the_department_page(
    client: Client, smtp_server: ReceivedMail
) -> None:
    department = DepartmentFactory(slug="home-office", name="Home Office")
    data = {"email": "a@example.org", "option": "closing", "frequency": "daily"}
    client.post("/alerts/?department=home-office", data)
    (message,) = smtp_server.messages
    assert "Home Office consultations closing within 7 days" in message.get_body().get_content()  # type: ignore[union-attr]
    client.post(link_to(message, "/alerts/confirm/"))
    alert = Alert.objects.get()
    assert (alert.kind, alert.department, alert.consultation) == ("closing", department, None)
    smtp_server.clear()
    client.post("/alerts/?department=home-office", data)
    (already,) = smtp_server.messages
    assert already["Subject"] == "You already have this moot email alert"


def _statement_shapes(queries: list[dict[str, str]]) -> list[str]:
    """The SQL run, with its literal values (addresses, ids, times) taken out."""
    shapes = []
    for query in queries:
        sql = re.sub(r"'(?:[^']|'')*'", "?", query["sql"])
        shapes.append(re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql))
    return shapes


def test_manage_link_request_does_the_same_work_for_any_address(
    client: Client, smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    subscriber = Subscriber.objects.create(email="kept@example.org", daily_sent_at=timezone.now())
    Alert.objects.create(subscriber=subscriber, kind="search", query="housing")
    Subscriber.objects.create(email="empty@example.org", daily_sent_at=timezone.now())
    shapes = {}
    for address in ("kept@example.org", "nobody@example.org", "empty@example.org"):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post("/alerts/manage/", {"email": address})
        assert response.status_code == 302
        assert response["Location"] == "/alerts/manage/sent/"
        shapes[address] = _statement_shapes(queries.captured_queries)
    # The request never reads the address's alerts: it queues one task, the same way.
    assert shapes["kept@example.org"] == shapes["nobody@example.org"]
    assert shapes["kept@example.org"] == shapes["empty@example.org"]
    assert not any("alerts_" in sql for sql in shapes["kept@example.org"])
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert smtp_server.messages == []  # nothing is sent while the visitor waits
    run_tasks()
    (message,) = smtp_server.messages
    assert message["To"] == "kept@example.org"
    assert message["Subject"] == "Manage your moot email alerts"
    assert link_to(message, "/alerts/manage/") != "/alerts/manage/"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_manage_link_requests_stay_limited_per_address(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    subscriber = Subscriber.objects.create(email="kept@example.org", daily_sent_at=timezone.now())
    Alert.objects.create(subscriber=subscriber, kind="search", query="housing")
    for number in range(8):
        client = Client(REMOTE_ADDR=f"192.0.2.{number}")
        with django_capture_on_commit_callbacks(execute=True):
            for address in ("kept@example.org", "nobody@example.org"):
                response = client.post("/alerts/manage/", {"email": address})
                assert response["Location"] == "/alerts/manage/sent/"
    # Five an hour per address, subscribed or not; nothing more is even queued.
    assert DBTaskResult.objects.count() == 10
    run_tasks()
    assert len(smtp_server.to("kept@example.org")) == 5
    assert smtp_server.to("nobody@example.org") == []
