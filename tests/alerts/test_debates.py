"""Alerts on debates: search, member and department alerts include speeches, and a debate's
page offers "Alert me about debates like this"."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from moot.alerts.models import Alert, AlertMatch, Subscriber
from moot.alerts.services import alerts_match_new_items
from moot.parliament.models import DebateSection
from moot.parliament.services.debates import debates_import
from moot.parliament.services.members import members_import
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "parliament" / "fixtures"


def make_alert(query: str) -> Alert:
    subscriber, _ = Subscriber.objects.get_or_create(
        email="reader@example.org", defaults={"daily_sent_at": timezone.now()}
    )
    return Alert.objects.create(subscriber=subscriber, kind="search", query=query)


def matched(alert: Alert) -> set[str]:
    return set(AlertMatch.objects.filter(alert=alert).values_list("title", flat=True))


def test_search_member_and_department_alerts_match_new_debates() -> None:
    members_import(paths=[FIXTURES / "people.json", FIXTURES / "ministers.json"])
    words = make_alert("child poverty")
    member = make_alert("member:nadine-dorries")
    department = make_alert("department:department-for-work-and-pensions")
    debates_only = make_alert("type:debate exploitation")
    unrelated = make_alert("fisheries")
    debates_import(
        paths=[FIXTURES / "debates" / "v1", FIXTURES / "debates" / "westminster2009-10-27a.xml"]
    )
    alerts_match_new_items()
    assert matched(words) == {"Child Poverty"}
    assert matched(member) == {"Pension Credit", "Child Sexual Exploitation"}
    assert "Child Poverty" in matched(department)
    assert matched(debates_only) == {"Child Sexual Exploitation"}
    assert matched(unrelated) == set()
    match = AlertMatch.objects.get(alert=words)
    assert match.url == "/debates/commons/2009-10-27/child-poverty/"
    assert "child poverty" in match.snippet.lower()
    # A newer version of the day is not news again.
    debates_import(paths=[FIXTURES / "debates" / "v2"])
    alerts_match_new_items()
    assert AlertMatch.objects.filter(alert=words).count() == 1


def test_debates_imported_before_an_alert_are_not_news_to_it() -> None:
    debates_import(paths=[FIXTURES / "debates" / "v1"])
    alert = make_alert("child poverty")
    alerts_match_new_items()
    assert matched(alert) == set()


def test_alert_me_about_debates_like_this(client: Client) -> None:
    debates_import(paths=[FIXTURES / "debates" / "v1"])
    section = DebateSection.objects.get(heading="Pension Credit")
    text = text_of(client.get(f"/alerts/?debate={section.id}").content.decode())
    assert "Alert me about debates like this" in text
    assert "Debates like “Pension Credit”" in text
    assert (
        'value="&quot;Pension Credit&quot;"'
        in client.get(f"/alerts/?debate={section.id}").content.decode()
    )
    assert client.get("/alerts/?debate=999999").status_code == 404
    assert client.get("/alerts/?debate=not-a-number").status_code == 404
