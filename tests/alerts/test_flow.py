"""A person's whole journey, through the pages and the real emails: ask for an alert,
confirm it from the email, receive one digest, and stop it with one click."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from moot.alerts.models import Alert, AlertRequest, Subscriber
from tests.alerts.conftest import html_part, link_to, text_part, unsubscribe_path
from tests.conftest import ReceivedMail
from tests.consultations.test_respond import run_tasks
from tests.factories import DepartmentFactory, WrittenAnswerFactory, WrittenQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EMAIL = "reader@example.org"


def subscribe(client: Client, mail: ReceivedMail, path: str, data: dict[str, str]) -> Alert:
    """Ask for an alert on ``path`` and confirm it from the email, as a person would."""
    response = client.post(path, {"email": EMAIL, "frequency": "immediate", **data})
    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    (message,) = mail.to(EMAIL)
    mail.clear()
    confirm = link_to(message, "/alerts/confirm/")
    before = Alert.objects.count()
    page = client.get(confirm)
    assert "Confirm your alert" in text_of(page.content.decode())
    assert Alert.objects.count() == before  # opening the link is not confirming it
    confirmed = client.post(confirm)
    assert "Your alert is set up" in text_of(confirmed.content.decode())
    return Alert.objects.filter(subscriber__email=EMAIL).latest("id")


def test_subscribe_confirm_get_one_digest_then_unsubscribe_with_one_click(
    client: Client, smtp_server: ReceivedMail
) -> None:
    department = DepartmentFactory(name="Department for Children, Schools and Families")
    seen = WrittenQuestionFactory(heading="Children: Sexual Exploitation", department=department)

    page = client.get(f"/alerts/?question={seen.id}")
    assert page.status_code == 200
    assert 'value="Children &quot;Sexual Exploitation&quot;"' in page.content.decode()

    response = client.post(
        f"/alerts/?question={seen.id}",
        {"email": "Reader@Example.org ", "query": 'Children "Sexual Exploitation"',
         "frequency": "immediate"},
    )  # fmt: skip
    assert response.status_code == 302
    (confirmation,) = smtp_server.to(EMAIL)
    assert confirmation["Subject"] == "Confirm your moot email alert"
    assert "Debates like “Children: Sexual Exploitation”" in text_part(confirmation)
    assert "Confirm your alert" in html_part(confirmation)
    unsubscribe_path(confirmation)  # even the confirmation can be stopped in one click
    smtp_server.clear()

    confirm = link_to(confirmation, "/alerts/confirm/")
    client.post(confirm)
    alert = Alert.objects.get()
    assert alert.subscriber.email == EMAIL
    assert alert.query == 'Children "Sexual Exploitation"'
    assert client.post(confirm).status_code == 200  # confirming twice changes nothing
    assert Alert.objects.count() == 1

    fresh = WrittenQuestionFactory(
        heading="Children: Sexual Exploitation",
        identifier="new-one",
        text="To ask what is being done about the sexual exploitation of children in care.",
        department=department,
    )
    WrittenAnswerFactory(questions=[fresh], body_html="<p>Local safeguarding boards act.</p>")
    WrittenQuestionFactory(heading="Railways: Timetables", department=department)

    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (digest,) = smtp_server.to(EMAIL)
    assert digest["Subject"] == "moot alert: Children: Sexual Exploitation"
    text = text_part(digest)
    assert "Debates like “Children: Sexual Exploitation”" in text
    assert f"https://moot.example{fresh.get_absolute_url()}" in text
    assert "sexual exploitation of children in care" in text
    assert "Railways" not in text
    assert seen.get_absolute_url() not in text  # it was there before the alert
    assert fresh.heading in html_part(digest)
    assert digest["Message-ID"]

    smtp_server.clear()
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert smtp_server.messages == []  # nothing is sent twice

    one_click = Client(enforce_csrf_checks=True)  # a mail program: no cookies, no form token
    response = one_click.post(
        unsubscribe_path(digest),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Alert.objects.exists()
    assert not Subscriber.objects.exists()  # an address with no alerts is forgotten


def test_the_page_is_the_same_whether_or_not_the_address_has_the_alert(
    client: Client, smtp_server: ReceivedMail
) -> None:
    subscribe(client, smtp_server, "/alerts/?q=housing", {"query": "housing"})
    pages = []
    for email in (EMAIL, "stranger@example.org"):
        response = client.post(
            "/alerts/?q=housing", {"email": email, "query": "housing", "frequency": "immediate"}
        )
        pages.append((response.status_code, response["Location"]))
    assert pages[0] == pages[1]
    (already,) = smtp_server.to(EMAIL)
    assert already["Subject"] == "You already have this moot email alert"
    assert "/alerts/manage/" in text_part(already)
    (confirmation,) = smtp_server.to("stranger@example.org")
    assert confirmation["Subject"] == "Confirm your moot email alert"
    assert Alert.objects.count() == 1


def test_manage_page_reached_from_an_emailed_link(
    client: Client, smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(client, smtp_server, "/alerts/?q=housing", {"query": "housing"})
    subscribe(client, smtp_server, "/alerts/?q=railways", {"query": "railways"})

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/alerts/manage/", {"email": EMAIL})
        unknown = client.post("/alerts/manage/", {"email": "nobody@example.org"})
    run_tasks()
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/alerts/manage/sent/"
    assert smtp_server.to("nobody@example.org") == []
    (message,) = smtp_server.to(EMAIL)
    manage = link_to(message, "/alerts/manage/")
    assert manage != "/alerts/manage/"

    page = client.get(manage)
    assert page["Cache-Control"].startswith("max-age=0")
    assert "housing" in text_of(page.content.decode())
    housing = Alert.objects.get(query="housing")
    railways = Alert.objects.get(query="railways")

    client.post(f"{manage}alerts/{housing.id}/", {"action": "pause"})
    housing.refresh_from_db()
    assert housing.is_paused
    assert "Paused: housing" in text_of(client.get(manage).content.decode())
    client.post(f"{manage}alerts/{housing.id}/", {"action": "resume"})
    client.post(f"{manage}alerts/{housing.id}/", {"action": "frequency", "frequency": "daily"})
    housing.refresh_from_db()
    assert (housing.is_paused, housing.frequency) == (False, "daily")

    client.post(f"{manage}alerts/{railways.id}/", {"action": "delete"})
    assert list(Alert.objects.values_list("query", flat=True)) == ["housing"]

    assert "Delete all your alerts?" in text_of(client.get(f"{manage}delete-all/").content.decode())
    assert Alert.objects.exists()  # the GET only asks
    done = client.post(f"{manage}delete-all/")
    assert "Your alerts are deleted" in text_of(done.content.decode())
    assert not Subscriber.objects.exists()
    assert client.get(manage).status_code == 400  # nothing left to manage


def test_someone_elses_alert_cannot_be_changed_from_my_manage_link(
    client: Client, smtp_server: ReceivedMail
) -> None:
    mine = subscribe(client, smtp_server, "/alerts/?q=housing", {"query": "housing"})
    other = Alert.objects.create(
        subscriber=Subscriber.objects.create(
            email="other@example.org", daily_sent_at=mine.created_at
        ),
        kind="search",
        query="tax",
    )
    from moot.alerts.tokens import manage_token

    manage = f"/alerts/manage/{manage_token(subscriber_id=mine.subscriber_id)}/"
    assert client.post(f"{manage}alerts/{other.id}/", {"action": "delete"}).status_code == 404
    assert Alert.objects.filter(id=other.id).exists()


def test_unsubscribe_link_opened_by_a_scanner_does_nothing(
    client: Client, smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(client, smtp_server, "/alerts/?q=housing", {"query": "housing"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/alerts/manage/", {"email": EMAIL})
    run_tasks()
    (message,) = smtp_server.to(EMAIL)
    path = unsubscribe_path(message)
    page = client.get(path)
    assert page.status_code == 200
    assert "Unsubscribe from all your alerts?" in text_of(page.content.decode())
    assert Alert.objects.exists()
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200  # twice is fine
    assert not Alert.objects.exists()


def test_unsubscribing_from_a_confirmation_email_cancels_the_request(
    client: Client, smtp_server: ReceivedMail
) -> None:
    client.post("/alerts/?q=tax", {"email": EMAIL, "query": "tax", "frequency": "daily"})
    (message,) = smtp_server.to(EMAIL)
    Client(enforce_csrf_checks=True).post(unsubscribe_path(message))
    assert not AlertRequest.objects.exists()
    assert client.post(link_to(message, "/alerts/confirm/")).status_code == 400
    assert not Alert.objects.exists()


def test_the_confirmation_emails_link_stops_the_alert_once_it_is_confirmed(
    client: Client, smtp_server: ReceivedMail
) -> None:
    from moot.alerts.services import alert_requests_purge

    client.post("/alerts/?q=tax", {"email": EMAIL, "query": "tax", "frequency": "daily"})
    (message,) = smtp_server.to(EMAIL)
    client.post(link_to(message, "/alerts/confirm/"))
    assert Alert.objects.filter(query="tax").exists()
    # Long after, the request itself is forgotten; the link still names the alert.
    alert_requests_purge(now=timezone.now() + dt.timedelta(days=30))
    assert not AlertRequest.objects.exists()
    page = text_of(client.get(unsubscribe_path(message)).content.decode())
    assert "Stop this alert?" in page
    assert "Cancel this alert request?" not in page
    stopped = Client(enforce_csrf_checks=True).post(unsubscribe_path(message))
    assert "You're unsubscribed" in text_of(stopped.content.decode())
    assert "We won't set up the alert" not in text_of(stopped.content.decode())
    assert not Alert.objects.exists()


@pytest.mark.parametrize("tampered", ["garbage", "x" * 10])
def test_broken_links_get_a_clear_page(client: Client, tampered: str) -> None:
    for path in ("confirm", "manage", "unsubscribe"):
        response = client.get(f"/alerts/{path}/{tampered}/")
        assert response.status_code == 400
        assert "This link does not work" in text_of(response.content.decode())


def test_manage_page_queries_do_not_grow_with_alerts(
    client: Client, django_assert_num_queries: object
) -> None:
    from django.utils import timezone

    from moot.alerts.tokens import manage_token
    from tests.factories import ConsultationFactory

    subscriber = Subscriber.objects.create(email=EMAIL, daily_sent_at=timezone.now())
    manage = f"/alerts/manage/{manage_token(subscriber_id=subscriber.id)}/"
    for number in range(6):
        Alert.objects.create(subscriber=subscriber, kind="search", query=f"word{number}")
        Alert.objects.create(
            subscriber=subscriber, kind="outcome", consultation=ConsultationFactory()
        )
    with django_assert_num_queries(2):  # type: ignore[operator]
        response = client.get(manage)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="alert"') == 12
