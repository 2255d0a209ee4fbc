"""Subscription and delivery-problem services, called directly."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from moot.alerts import services
from moot.alerts.models import Alert, AlertRequest, DeliveryProblem, Subscriber
from moot.alerts.selectors import question_alert_query
from moot.alerts.services import AlertInvalid, AlertSpec
from moot.alerts.services.subscriptions import manage_link_send, manage_link_tasks_purge
from moot.alerts.tokens import LinkInvalid, UnsubscribeTarget, confirm_token
from tests.conftest import ReceivedMail
from tests.consultations.test_respond import run_tasks
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def confirmed(email: str = "a@example.org", query: str = "tax") -> Alert:
    services.alert_request(email=email, spec=AlertSpec(kind="search", query=query))
    request = AlertRequest.objects.filter(email=email).latest("id")
    return services.alert_confirm(token=confirm_token(request_id=request.id))


def test_queries_are_stored_normalised(smtp_server: ReceivedMail) -> None:
    alert = confirmed(query='  child   exploitation  member:"Helen Southworth" ')
    assert alert.query == "child exploitation member:helen-southworth"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (AlertSpec(kind="search", query="(unclosed"), "is not closed"),
        (AlertSpec(kind="search", query="-only"), "at least one word"),
        (AlertSpec(kind="search", query="tax", frequency="hourly"), "how often"),
        (AlertSpec(kind="closing"), "Choose what"),
    ],
)
def test_specs_that_cannot_be_alerts(spec: AlertSpec, message: str) -> None:
    with pytest.raises(AlertInvalid, match=message):
        services.alert_spec_clean(spec=spec)


def test_consultation_specs_must_still_be_possible() -> None:
    soon = ConsultationFactory(closes_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(AlertInvalid, match="closes within 7 days"):
        services.alert_spec_clean(spec=AlertSpec(kind="closing", consultation=soon))
    done = ConsultationFactory(
        closes_at=timezone.now() - dt.timedelta(days=1),
        opens_at=timezone.now() - dt.timedelta(days=30),
        outcome_published_at=timezone.now(),
    )
    with pytest.raises(AlertInvalid, match="already published"):
        services.alert_spec_clean(spec=AlertSpec(kind="outcome", consultation=done))
    draft = ConsultationFactory(published_at=None)
    with pytest.raises(AlertInvalid, match="not published"):
        services.alert_spec_clean(spec=AlertSpec(kind="outcome", consultation=draft))


def test_the_database_refuses_malformed_and_duplicate_alerts() -> None:
    subscriber = Subscriber.objects.create(email="a@example.org", daily_sent_at=timezone.now())
    Alert.objects.create(subscriber=subscriber, kind="search", query="tax")
    with pytest.raises(IntegrityError):
        Alert.objects.create(subscriber=subscriber, kind="search", query="tax")


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "search", "query": ""},
        {"kind": "closing", "query": ""},
        {"kind": "closing", "query": "tax"},
    ],
)
def test_the_database_refuses_alerts_of_the_wrong_shape(fields: dict[str, str]) -> None:
    subscriber = Subscriber.objects.create(email="a@example.org", daily_sent_at=timezone.now())
    with pytest.raises(IntegrityError):
        Alert.objects.create(subscriber=subscriber, **fields)


def test_a_consultation_alert_is_about_one_consultation_or_one_department() -> None:
    subscriber = Subscriber.objects.create(email="a@example.org", daily_sent_at=timezone.now())
    consultation = ConsultationFactory()
    with pytest.raises(IntegrityError):
        Alert.objects.create(
            subscriber=subscriber,
            kind="closing",
            consultation=consultation,
            department=consultation.department,
        )


def test_addresses_must_be_lower_case_in_the_database() -> None:
    with pytest.raises(IntegrityError):
        Subscriber.objects.create(email="Mixed@Example.org", daily_sent_at=timezone.now())


def test_confirming_lifts_a_bounce_suspension(smtp_server: ReceivedMail) -> None:
    alert = confirmed()
    services.delivery_problem_record(email="a@example.org", kind="hard_bounce")
    alert.subscriber.refresh_from_db()
    assert alert.subscriber.suspension_reason == "bounce"
    confirmed(query="housing")
    alert.subscriber.refresh_from_db()
    assert not alert.subscriber.is_suspended


def test_staff_suspension_stops_even_confirmation_emails(smtp_server: ReceivedMail) -> None:
    alert = confirmed()
    services.subscriber_suspend(subscriber=alert.subscriber, reason="admin")
    smtp_server.clear()
    services.alert_request(email="a@example.org", spec=AlertSpec(kind="search", query="rail"))
    assert manage_link_send(email="a@example.org") is False
    assert smtp_server.messages == []


def test_finished_manage_link_tasks_are_forgotten_after_an_hour(
    smtp_server: ReceivedMail, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    confirmed()
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("a@example.org", "nobody@example.org", "waiting@example.org"):
            services.manage_link_request(email=address)
    waiting = DBTaskResult.objects.get(args_kwargs__kwargs__email="waiting@example.org")
    DBTaskResult.objects.filter(pk=waiting.pk).update(status="RUNNING")
    run_tasks()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    now = timezone.now()
    assert manage_link_tasks_purge(now=now) == 0
    assert manage_link_tasks_purge(now=now + dt.timedelta(minutes=61)) == 2
    # One not yet finished is kept, with its address, until it is.
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_soft_bounces_suspend_only_when_repeated(smtp_server: ReceivedMail) -> None:
    confirmed()
    for expected in (False, False, True):
        assert (
            services.delivery_problem_record(email="a@example.org", kind="soft_bounce") is expected
        )
    assert services.delivery_problem_record(email="nobody@example.org", kind="complaint") is False
    with pytest.raises(ValueError, match="unknown"):
        services.delivery_problem_record(email="a@example.org", kind="whatever")
    subscriber = Subscriber.objects.get()
    services.subscriber_reinstate(subscriber=subscriber)
    subscriber.refresh_from_db()
    assert not subscriber.is_suspended


def test_confirm_tokens_only_work_for_existing_requests() -> None:
    with pytest.raises(LinkInvalid):
        services.alert_confirm(token=confirm_token(request_id=12345))
    with pytest.raises(LinkInvalid):
        services.alert_confirm(token="not-a-token")


def test_unsubscribe_one_alert_keeps_the_others(smtp_server: ReceivedMail) -> None:
    tax = confirmed()
    rail = confirmed(query="rail")
    services.unsubscribe(target=UnsubscribeTarget(subscriber_id=tax.subscriber_id, alert_id=tax.id))
    assert list(Alert.objects.all()) == [rail]
    services.unsubscribe(target=UnsubscribeTarget(subscriber_id=tax.subscriber_id, alert_id=tax.id))
    services.unsubscribe(target=UnsubscribeTarget(subscriber_id=999))
    services.unsubscribe(target=UnsubscribeTarget())
    assert list(Alert.objects.all()) == [rail]


def test_suspended_addresses_are_kept_when_their_alerts_go(smtp_server: ReceivedMail) -> None:
    alert = confirmed()
    services.delivery_problem_record(email="a@example.org", kind="complaint")
    services.subscriber_alerts_delete(subscriber=alert.subscriber)
    assert Subscriber.objects.get().is_suspended  # so nothing is sent to it later


def test_expired_requests_are_purged() -> None:
    AlertRequest.objects.create(
        email="a@example.org", kind="search", query="tax", frequency="daily"
    )
    assert services.alert_requests_purge() == 0
    assert services.alert_requests_purge(now=timezone.now() + dt.timedelta(days=4)) == 1


@pytest.mark.parametrize(
    ("heading", "query"),
    [
        ("Children: Sexual Exploitation", 'Children "Sexual Exploitation"'),
        ("Departmental Responsibilities", '"Departmental Responsibilities"'),
        ("Schools", "Schools"),
        ("Bees: -Pesticides OR", "Bees Pesticides"),
        ("::", ""),
    ],
)
def test_question_headings_become_queries(heading: str, query: str) -> None:
    assert question_alert_query(heading=heading) == query


def test_record_bounce_command(smtp_server: ReceivedMail) -> None:
    confirmed()
    out = io.StringIO()
    call_command("record_bounce", "A@example.org", "--kind", "complaint", stdout=out)
    assert "suspended" in out.getvalue()
    assert Subscriber.objects.get().suspension_reason == "complaint"
    assert DeliveryProblem.objects.get().kind == "complaint"


def test_admin_records_bounces_and_lifts_suspensions(
    client: Client, smtp_server: ReceivedMail
) -> None:
    subscriber = confirmed().subscriber
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    url = "/admin/alerts/subscriber/"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}{subscriber.id}/change/").status_code == 200
    client.post(url, {"action": "record_bounce", "_selected_action": [subscriber.id]})
    subscriber.refresh_from_db()
    assert subscriber.suspension_reason == "bounce"
    client.post(url, {"action": "reinstate", "_selected_action": [subscriber.id]})
    subscriber.refresh_from_db()
    assert not subscriber.is_suspended
    client.post(
        "/admin/alerts/deliveryproblem/add/",
        {"email": subscriber.email, "kind": "complaint", "detail": "phoned us"},
    )
    subscriber.refresh_from_db()
    assert subscriber.suspension_reason == "complaint"
    for page in ("alert", "digest", "deliveryproblem"):
        assert client.get(f"/admin/alerts/{page}/").status_code == 200
