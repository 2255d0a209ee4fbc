"""Written statements in email alerts: search, member and department alerts match them, and
a statement that was there before the alert, or a newer version of it, is not news."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from moot.alerts.models import Alert, Subscriber
from tests.alerts.conftest import text_part
from tests.conftest import ReceivedMail
from tests.factories import DepartmentFactory, PersonFactory
from tests.statement_factories import WrittenStatementFactory

pytestmark = pytest.mark.django_db


def make_alert(query: str, *, email: str) -> Alert:
    subscriber, _ = Subscriber.objects.get_or_create(
        email=email, defaults={"daily_sent_at": timezone.now()}
    )
    return Alert.objects.create(subscriber=subscriber, kind="search", query=query)


def send() -> str:
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def test_search_member_and_department_alerts_match_statements(
    smtp_server: ReceivedMail,
) -> None:
    dcsf = DepartmentFactory(slug="dcsf", name="Department for Children, Schools and Families")
    minister = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    old = WrittenStatementFactory(title="Older statement", body_html="<p>Safeguarding.</p>")
    make_alert("safeguarding", email="words@example.org")
    make_alert("member:beverley-hughes", email="member@example.org")
    make_alert("department:dcsf", email="department@example.org")
    make_alert("safeguarding type:question", email="questions@example.org")
    old.body_html = "<p>Safeguarding, corrected.</p>"
    old.save()  # seen again, but made before these alerts: not news
    statement = WrittenStatementFactory(
        title="Safeguarding Children",
        department=dcsf,
        person=minister,
        body_html="<p>Revised safeguarding guidance is published today.</p>",
    )
    WrittenStatementFactory(title="Pensions", body_html="<p>Pension rates.</p>")

    send()
    for email in ("words@example.org", "member@example.org", "department@example.org"):
        (digest,) = smtp_server.to(email)
        text = text_part(digest)
        assert "Safeguarding Children" in text
        assert f"https://moot.example{statement.get_absolute_url()}" in text
        assert "Older statement" not in text
        assert "Pensions" not in text
    assert smtp_server.to("questions@example.org") == []

    # A newer version of the statement changes no news: nothing is sent again.
    statement.body_html = "<p>Revised safeguarding guidance, as corrected.</p>"
    statement.save()
    send()
    assert len(smtp_server.to("words@example.org")) == 1
