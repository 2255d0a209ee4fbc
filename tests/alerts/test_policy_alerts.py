""" "Alert me about this policy": anything new on a policy thread, through the same request,
confirmation, digest and one-click unsubscribe as every alert."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from moot.alerts.models import Alert, AlertKind, AlertMatch
from moot.alerts.services import AlertInvalid, AlertSpec, alert_spec_clean
from moot.consultations.models import DocumentVersion
from moot.policy.services import mentions_refresh
from tests.alerts.conftest import text_part, unsubscribe_path
from tests.alerts.test_flow import EMAIL, subscribe
from tests.conftest import ReceivedMail
from tests.factories import ConsultationFactory, WrittenAnswerFactory, WrittenQuestionFactory
from tests.policy.conftest import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _send() -> None:
    call_command("send_alerts", stdout=io.StringIO())


def test_a_policy_alert_sends_whatever_is_new_on_the_thread_and_nothing_twice(
    client: Client, smtp_server: ReceivedMail, world: World
) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])  # the thread's past, before the alert
    page = client.get("/alerts/?policy=document:final-2009").content.decode()
    assert "Alert me about “Safeguarding Children and Young People from Sexual Exploitation”" in (
        page
    )
    alert = subscribe(
        client, smtp_server, "/alerts/?policy=document:final-2009", {"option": "policy"}
    )
    assert (alert.kind, alert.document, alert.consultation) == (
        AlertKind.POLICY,
        world.final,
        None,
    )
    _send()
    assert smtp_server.to(EMAIL) == []  # what was on the thread before is not news

    question = WrittenQuestionFactory(
        date=dt.date(2009, 7, 6),
        heading="Children: Exploitation",
        department=world.department,
        text="To ask what guidance has been issued on child sexual exploitation.",
    )
    answer = WrittenAnswerFactory(
        date_answered=dt.date(2009, 7, 6),
        questions=[question],
        body_html="<p>We published 'Safeguarding Children and Young People from Sexual "
        "Exploitation' on 30 June 2009.</p>",
    )
    mentions_refresh(answer_ids=[answer.pk])
    DocumentVersion.objects.create(
        document=world.final, number=2, published_on=timezone.localdate(), change_note="Annex B."
    )
    _send()
    (digest,) = smtp_server.to(EMAIL)
    body = text_part(digest)
    assert "Anything new on the policy thread of “Safeguarding Children and Young People" in body
    assert "Written answer: Children: Exploitation" in body
    assert "Final guidance updated" in body
    assert "Annex B." in body
    assert "Children: Sexual Offences" not in body  # old news
    smtp_server.clear()
    _send()
    assert smtp_server.to(EMAIL) == []
    assert AlertMatch.objects.filter(alert=alert).count() == 2
    unsubscribe_path(digest)


def test_a_policy_alert_on_a_consultation_hears_of_its_closing(
    client: Client, smtp_server: ReceivedMail
) -> None:
    consultation = ConsultationFactory(
        title="School admissions", closes_at=timezone.now() + dt.timedelta(minutes=5)
    )
    subscribe(
        client,
        smtp_server,
        f"/alerts/?policy=consultation:{consultation.slug}",
        {"option": "policy"},
    )
    _send()
    assert smtp_server.to(EMAIL) == []
    consultation.closes_at = timezone.now()  # after the alert was set up, and now past
    consultation.save()
    _send()
    (digest,) = smtp_server.to(EMAIL)
    assert "Consultation closed: School admissions" in text_part(digest)


def test_asking_twice_is_one_alert(client: Client, smtp_server: ReceivedMail, world: World) -> None:
    subscribe(client, smtp_server, "/alerts/?policy=document:final-2009", {"option": "policy"})
    client.post(
        "/alerts/?policy=document:final-2009",
        {"email": EMAIL, "frequency": "immediate", "option": "policy"},
    )
    (message,) = smtp_server.to(EMAIL)
    assert "already" in text_part(message).lower()
    assert Alert.objects.filter(kind=AlertKind.POLICY).count() == 1


@pytest.mark.parametrize(
    "value", ["document:no-such-thing", "consultation:draft-one", "person:x", "final-2009"]
)
def test_an_unknown_or_unpublished_policy_is_a_404(client: Client, value: str) -> None:
    ConsultationFactory(slug="draft-one", published_at=None)
    assert client.get(f"/alerts/?policy={value}").status_code == 404


def test_a_policy_alert_needs_exactly_one_subject(world: World) -> None:
    with pytest.raises(AlertInvalid):
        alert_spec_clean(spec=AlertSpec(kind=AlertKind.POLICY))
    with pytest.raises(AlertInvalid):
        alert_spec_clean(
            spec=AlertSpec(
                kind=AlertKind.POLICY, document=world.final, consultation=world.consultation
            )
        )
