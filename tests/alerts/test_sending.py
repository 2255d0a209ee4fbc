"""`moot send-alerts`: one digest per address per run, nothing twice, and no gaps after a
crash at any step. Mail goes through Django's SMTP backend to a real server on loopback."""

from __future__ import annotations

import datetime as dt
import io
import socket
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from moot.alerts import selectors
from moot.alerts.models import (
    Alert,
    AlertMatch,
    Digest,
    DigestState,
    ItemCursor,
    Subscriber,
    SuspensionReason,
)
from moot.alerts.services import (
    alerts_match_new_items,
    alerts_send,
    digests_queue,
    search_alert_matcher,
    sending,
)
from moot.core import background
from moot.core.models import PeriodicJobState
from moot.search.documents import question_document
from tests.alerts.conftest import text_part
from tests.conftest import ReceivedMail
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def make_alert(query: str, *, email: str = "reader@example.org", **fields: object) -> Alert:
    subscriber, _ = Subscriber.objects.get_or_create(
        email=email, defaults={"daily_sent_at": timezone.now()}
    )
    return Alert.objects.create(subscriber=subscriber, kind="search", query=query, **fields)


def send() -> str:
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def test_one_digest_per_address_groups_every_alert(smtp_server: ReceivedMail) -> None:
    make_alert("housing")
    make_alert("railways")
    make_alert("housing", email="other@example.org")
    WrittenQuestionFactory(heading="Housing: Rents", text="Social housing rents.")
    WrittenQuestionFactory(heading="Railways: Fares", text="Railway fares.")
    WrittenQuestionFactory(heading="Fisheries", text="Quotas.")

    output = send()
    assert "2 emails sent" in output
    (digest,) = smtp_server.to("reader@example.org")
    assert digest["Subject"] == "moot alerts: 2 new items for 2 of your alerts"
    text = text_part(digest)
    assert "Housing: Rents" in text
    assert "Railways: Fares" in text
    assert "Fisheries" not in text
    assert "Stop this alert" in text
    (other,) = smtp_server.to("other@example.org")
    assert "Railways" not in text_part(other)

    smtp_server.clear()
    assert "0 emails sent" in send()
    assert smtp_server.messages == []


def test_more_than_ten_new_items_link_to_the_search(smtp_server: ReceivedMail) -> None:
    make_alert("housing")
    for number in range(12):
        WrittenQuestionFactory(heading=f"Housing {number}", text="Housing.")
    send()
    (digest,) = smtp_server.to("reader@example.org")
    text = text_part(digest)
    assert text.count("* Housing") == 10
    assert "...and 2 more: https://moot.example/search/?q=housing" in text
    assert AlertMatch.objects.filter(digest__state=DigestState.SENT).count() == 12


def test_items_from_before_the_alert_are_not_news_even_when_edited(
    smtp_server: ReceivedMail,
) -> None:
    old = WrittenQuestionFactory(heading="Housing: Old", text="Housing.")
    make_alert("housing")
    old.heading = "Housing: Old (corrected)"
    old.save()
    send()
    assert smtp_server.messages == []


def test_resumes_after_a_crash_between_queueing_and_sending(smtp_server: ReceivedMail) -> None:
    make_alert("housing")
    WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
    alerts_match_new_items()
    digests_queue()
    # The run stops here. The digest and its matches are committed, nothing is sent.
    assert Digest.objects.get().state == DigestState.PENDING
    assert smtp_server.messages == []

    send()
    (digest,) = smtp_server.messages
    assert "Housing: Rents" in text_part(digest)
    smtp_server.clear()
    send()
    assert smtp_server.messages == []


def test_a_crash_while_matching_leaves_no_gap_and_the_rerun_finds_the_rest(
    smtp_server: ReceivedMail, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_alert("housing")
    for number in range(3):
        WrittenQuestionFactory(heading=f"Housing {number}", text="Housing.")
    match_slice = sending._search_matches
    calls = []

    def crash_on_the_second_slice(**kwargs: object) -> list[AlertMatch]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the machine went away")
        return match_slice(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sending, "ITEMS_PER_SLICE", 1)
    with monkeypatch.context() as patch:
        patch.setattr(sending, "_search_matches", crash_on_the_second_slice)
        with pytest.raises(RuntimeError):
            alerts_send()
    assert AlertMatch.objects.count() == 1  # the first slice is stored...
    assert not ItemCursor.objects.exists()  # ...but the cursor has not moved past the rest
    send()
    (digest,) = smtp_server.messages
    assert [f"Housing {n}" in text_part(digest) for n in range(3)] == [True, True, True]
    assert AlertMatch.objects.count() == 3


def test_a_crash_after_sending_resends_once_with_the_same_message_id(
    smtp_server: ReceivedMail, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_alert("housing")
    WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")

    def crash(**kwargs: object) -> None:
        raise RuntimeError("stopped after the mail server took the email")

    with monkeypatch.context() as patch:
        patch.setattr(sending, "digest_mark_sent", crash)
        with pytest.raises(RuntimeError):
            alerts_send()
    (first,) = smtp_server.messages
    smtp_server.clear()

    send()  # the digest is still claimed by the run that stopped: not sent again yet
    assert smtp_server.messages == []

    later = timezone.now() + sending.CLAIM_LEASE + dt.timedelta(minutes=1)
    with time_machine.travel(later):
        send()
    (again,) = smtp_server.messages
    assert again["Message-ID"] == first["Message-ID"]  # a receiver can tell it is the same
    assert Digest.objects.get().state == DigestState.SENT
    smtp_server.clear()
    with time_machine.travel(later + dt.timedelta(hours=1)):
        send()
    assert smtp_server.messages == []


def test_new_matches_join_the_waiting_digest_so_an_address_gets_one_email(
    smtp_server: ReceivedMail,
) -> None:
    make_alert("housing")
    make_alert("railways")
    WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
    alerts_match_new_items()
    digests_queue()  # ...and the run stops
    WrittenQuestionFactory(heading="Railways: Fares", text="Railways.")
    send()
    (digest,) = smtp_server.messages
    assert "Housing: Rents" in text_part(digest)
    assert "Railways: Fares" in text_part(digest)
    assert Digest.objects.count() == 1


def test_mail_server_down_keeps_the_digest_for_the_next_run(
    smtp_server: ReceivedMail, settings: pytest.FixtureRequest
) -> None:
    make_alert("housing")
    WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
    port = settings.EMAIL_PORT  # type: ignore[attr-defined]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # type: ignore[attr-defined]
    report = alerts_send()
    assert (report.emails_sent, report.failures) == (0, 1)
    digest = Digest.objects.get()
    assert digest.state == DigestState.PENDING
    assert digest.last_error
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    send()
    assert len(smtp_server.messages) == 1


def test_daily_alerts_wait_for_the_daily_hour(
    smtp_server: ReceivedMail, settings: pytest.FixtureRequest
) -> None:
    settings.ALERTS_DAILY_HOUR = 7  # type: ignore[attr-defined]
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, tzinfo=LONDON)):
        make_alert("housing", frequency="daily")
        make_alert("railways")  # immediate alerts of the same address go out at once
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 1, tzinfo=LONDON)):
        WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
        WrittenQuestionFactory(heading="Railways: Fares", text="Railways.")
        send()
    (immediate,) = smtp_server.messages
    assert "Railways: Fares" in text_part(immediate)
    assert "Housing" not in text_part(immediate)
    smtp_server.clear()
    with time_machine.travel(dt.datetime(2026, 1, 5, 18, 0, tzinfo=LONDON)):
        send()
    assert smtp_server.messages == []
    with time_machine.travel(dt.datetime(2026, 1, 6, 7, 2, tzinfo=LONDON)):
        send()
    (daily,) = smtp_server.messages
    assert "Housing: Rents" in text_part(daily)
    smtp_server.clear()
    with time_machine.travel(dt.datetime(2026, 1, 6, 7, 10, tzinfo=LONDON)):
        send()
    assert smtp_server.messages == []


def test_paused_alerts_and_suspended_addresses_get_nothing(smtp_server: ReceivedMail) -> None:
    make_alert("housing", paused_at=timezone.now())
    suspended = make_alert("housing", email="bounced@example.org").subscriber
    suspended.suspended_at = timezone.now()
    suspended.suspension_reason = SuspensionReason.BOUNCE
    suspended.save()
    WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
    send()
    assert smtp_server.messages == []
    assert not AlertMatch.objects.exists()


def test_member_department_and_new_consultation_alerts(smtp_server: ReceivedMail) -> None:
    department = DepartmentFactory(slug="home-office", name="Home Office")
    make_alert("department:home-office", email="department@example.org")
    make_alert("type:consultation department:home-office", email="consultations@example.org")
    question = WrittenQuestionFactory(heading="Policing", department=department)
    make_alert(f"member:{question.asking_person.slug}", email="member@example.org")
    question.save()  # seen again, but before these alerts: not news
    ConsultationFactory(department=department, title="Policing powers")
    ConsultationFactory(department=department, title="A draft", published_at=None)
    DocumentFactory(department=department, title="Guidance on powers")
    WrittenQuestionFactory(
        heading="Prisons", department=department, asking_person=question.asking_person
    )

    send()
    everything = text_part(smtp_server.to("department@example.org")[0])
    assert "Policing powers" in everything
    assert "Guidance on powers" in everything
    assert "Prisons" in everything
    assert "A draft" not in everything
    consultations = text_part(smtp_server.to("consultations@example.org")[0])
    assert "Policing powers" in consultations
    assert "Prisons" not in consultations
    member = text_part(smtp_server.to("member@example.org")[0])
    assert "Prisons" in member
    assert "Policing powers" not in member


def test_consultation_closing_reminder_and_outcome(smtp_server: ReceivedMail) -> None:
    consultation = ConsultationFactory(
        title="School admissions", closes_at=timezone.now() + dt.timedelta(days=10)
    )
    subscriber = make_alert("unrelated").subscriber
    Alert.objects.create(subscriber=subscriber, kind="closing", consultation=consultation)
    Alert.objects.create(subscriber=subscriber, kind="outcome", consultation=consultation)
    send()
    assert smtp_server.messages == []

    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        send()
        (reminder,) = smtp_server.messages
        assert "Reminder before “School admissions” closes" in text_part(reminder)
        assert "This consultation closes at" in text_part(reminder)
        smtp_server.clear()
        send()
        assert smtp_server.messages == []

    with time_machine.travel(timezone.now() + dt.timedelta(days=20)):
        consultation.outcome_published_at = timezone.now()
        consultation.save()
        send()
    (outcome,) = smtp_server.messages
    assert "The outcome of “School admissions”" in text_part(outcome)


def test_the_matcher_is_kept_and_updated_as_alerts_change() -> None:
    housing = make_alert("housing")
    first = search_alert_matcher()
    assert search_alert_matcher() is first
    rail = make_alert("railways")
    make_alert("tax", email="other@example.org")
    housing.paused_at = timezone.now()
    housing.save()
    second = search_alert_matcher()
    assert second is first  # updated in place: the new alerts added, the paused one left out
    documents = [question_document(WrittenQuestionFactory(heading="Housing and railways"))]
    assert sorted(second.match(documents).pairs()) == [(rail.id, 0)]
    housing.paused_at = None
    housing.save()
    assert sorted(search_alert_matcher().match(documents).pairs()) == [
        (housing.id, 0),
        (rail.id, 0),
    ]


def test_an_unreadable_saved_query_is_skipped_not_fatal(smtp_server: ReceivedMail) -> None:
    broken = make_alert("housing")
    Alert.objects.filter(id=broken.id).update(query='"never closed')
    make_alert("housing", email="other@example.org")
    WrittenQuestionFactory(heading="Housing: Rents")
    send()
    assert [m["To"] for m in smtp_server.messages] == ["other@example.org"]
    assert broken.id in search_alert_matcher().alert_ids  # remembered, not retried each run


def test_a_new_answer_to_an_old_question_is_news(smtp_server: ReceivedMail) -> None:
    old = WrittenQuestionFactory(heading="Housing: Rents", text="Housing.")
    make_alert("housing")
    WrittenAnswerFactory(questions=[old], body_html="<p>Rents will be capped.</p>")
    send()
    (digest,) = smtp_server.messages
    assert "Housing: Rents" in text_part(digest)


def test_new_items_are_loaded_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "LOAD_CHUNK", 2)
    since = timezone.now()
    questions = [WrittenQuestionFactory() for _ in range(5)]
    DocumentFactory()
    keys = [item.document.key for item in selectors.items_changed_since(since=since)]
    assert keys[:5] == [f"question:{question.id}" for question in questions]
    assert len(keys) == 6


def test_the_worker_sends_alerts_as_a_cluster_job(smtp_server: ReceivedMail) -> None:
    job = {job.name: job for job in background.registered_jobs()}["alerts.send"]
    assert job.scope == "cluster"
    assert job.every == dt.timedelta(minutes=5)
    make_alert("housing")
    WrittenQuestionFactory(heading="Housing: Rents")
    assert "alerts.send" in background.run_due_jobs(worker_id="test", last_local_runs={})
    assert len(smtp_server.messages) == 1
    assert PeriodicJobState.objects.get(name="alerts.send").last_error == ""


def test_department_wide_consultation_alerts(smtp_server: ReceivedMail) -> None:
    home = DepartmentFactory(name="Home Office", slug="home-office")
    subscriber = make_alert("unrelated").subscriber
    already_closing = ConsultationFactory(
        department=home, title="Already closing", closes_at=timezone.now() + dt.timedelta(days=3)
    )
    Alert.objects.create(subscriber=subscriber, kind="closing", department=home)
    Alert.objects.create(subscriber=subscriber, kind="outcome", department=home)
    ConsultationFactory(
        department=home, title="Policing", closes_at=timezone.now() + dt.timedelta(days=10)
    )
    ConsultationFactory(title="Elsewhere", closes_at=timezone.now() + dt.timedelta(days=10))
    send()
    assert smtp_server.messages == []  # "Already closing" was in its last week before the alert

    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        send()
        (reminder,) = smtp_server.messages
        text = text_part(reminder)
        assert "Home Office consultations closing within 7 days" in text
        assert "Policing" in text
        assert "Elsewhere" not in text
        assert "Already closing" not in text
        smtp_server.clear()
        already_closing.outcome_published_at = timezone.now()
        already_closing.save()
        send()
    (outcome,) = smtp_server.messages
    assert "Outcomes of Home Office consultations" in text_part(outcome)
    assert "Already closing" in text_part(outcome)


def test_queueing_goes_a_batch_of_addresses_at_a_time(
    smtp_server: ReceivedMail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sending, "QUEUE_BATCH", 2)
    for number in range(5):
        make_alert("housing", email=f"reader{number}@example.org")
        make_alert("rents", email=f"reader{number}@example.org")
    for number in range(2):
        WrittenQuestionFactory(heading=f"Housing rents {number}")
    send()
    assert len(smtp_server.messages) == 5
    assert Digest.objects.count() == 5
    assert AlertMatch.objects.filter(digest__state=DigestState.SENT).count() == 20
    for message in smtp_server.messages:
        assert text_part(message).count("* Housing rents") == 4
