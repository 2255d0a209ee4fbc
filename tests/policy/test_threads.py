"""The policy thread: what it takes in, its timeline newest first, its page and feeds."""

from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import Document, DocumentVersion, Response, ResponseSummary
from moot.policy.services import mentions_refresh
from moot.policy.threads import policy_thread
from tests.factories import ConsultationFactory, DocumentFactory
from tests.policy.conftest import LONDON, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world: World) -> World:
    mentions_refresh(answer_ids=[world.answer.pk])
    DocumentVersion.objects.create(
        document=world.final, number=1, published_on=dt.date(2009, 6, 30), change_note="First."
    )
    DocumentVersion.objects.create(
        document=world.final, number=2, published_on=dt.date(2010, 3, 1), change_note="Annex."
    )
    ResponseSummary.objects.create(
        consultation=world.consultation,
        body="What people said.",
        published_at=dt.datetime(2009, 6, 30, 9, 30, tzinfo=LONDON),
    )
    world.consultation.outcome_published_at = dt.datetime(2009, 6, 30, 9, 30, tzinfo=LONDON)
    world.consultation.save()
    for number, status in enumerate(("submitted", "submitted", "draft", "withdrawn")):
        Response.objects.create(
            consultation=world.consultation,
            channel="online" if status == "draft" else "email",
            status=status,
            reference=None if status == "draft" else f"MOOT-TEST-{number:04d}",
            received_at=None if status == "draft" else timezone.now(),
        )
    return world


def test_the_consultation_thread_tells_the_story_newest_first(story: World) -> None:
    thread = policy_thread(subject=story.consultation)
    assert [(event.day.isoformat(), event.kind) for event in thread.events] == [
        ("2010-03-01", "Final guidance updated"),
        ("2009-06-30", "Final guidance published"),
        ("2009-06-30", "Outcome published"),
        ("2009-06-30", "Summary of responses published"),
        ("2008-06-12", "Consultation closed"),
        ("2008-03-14", "Draft guidance published by Department for Children, Schools and Families"),
        ("2008-03-14", "Consultation opened"),
        ("2007-12-03", "Written answer"),
        ("2006-04-01", "Guidance published"),
        ("2000-05-01", "Guidance published"),
    ]
    closed = next(e for e in thread.events if e.kind == "Consultation closed")
    assert closed.description == "2 responses received through moot."  # drafts and withdrawn
    answer = next(e for e in thread.events if e.kind == "Written answer")
    assert answer.url == story.question.get_absolute_url()
    assert answer.words == [
        "Working Together to Safeguard Children",
        "Working Together",
        "Safeguarding Children involved in prostitution",
    ]
    first = next(e for e in thread.events if e.kind == "Final guidance published")
    assert [(r.label, r.title) for r in first.related] == [
        ("is the final version of", str(story.draft)),
        ("replaces", str(story.prostitution)),
        ("supplements", str(story.working_together)),
    ]


def test_the_thread_of_a_replaced_document_reaches_the_policy_that_replaced_it(
    story: World,
) -> None:
    thread = policy_thread(subject=story.prostitution)
    assert {document.slug for document in thread.documents} == {
        "prostitution-2000",
        "draft-2008",
        "final-2009",
    }
    assert thread.consultations == [story.consultation]
    assert "Written answer" in [event.kind for event in thread.events]


def test_a_thread_stops_one_relation_away(story: World) -> None:
    elsewhere = DocumentFactory(slug="unrelated", title="An unrelated guide")
    other = DocumentFactory(slug="other-supplement", title="Another supplement")
    other.outgoing_relations.create(kind="supplements", object=story.working_together)
    elsewhere.outgoing_relations.create(kind="supplements", object=other)
    slugs = {d.slug for d in policy_thread(subject=story.final).documents}
    assert "other-supplement" not in slugs  # two steps: final → Working Together → other
    assert "unrelated" not in slugs


def test_what_is_not_public_is_not_on_a_thread(world: World, client: Client) -> None:
    draft = ConsultationFactory(slug="not-yet", published_at=None)
    DocumentFactory(slug="draft-doc", consultation=draft)
    assert client.get("/policy/consultations/not-yet/").status_code == 404
    thread = policy_thread(subject=Document.objects.get(slug="draft-doc"))
    assert thread.consultations == []
    upcoming = ConsultationFactory(
        opens_at=timezone.now() + dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(days=30),
        published_at=timezone.now(),
    )
    assert [e.kind for e in policy_thread(subject=upcoming).events] == []


def test_the_thread_page(client: Client, story: World) -> None:
    html = client.get("/policy/consultations/sexual-exploitation/").content.decode()
    assert '<h1 class="govuk-heading-l">Safeguarding children and young people from sexual' in html
    kinds = re.findall(r"<strong>([^<]+)</strong></p>", html)
    assert kinds[0] == "Final guidance updated"
    assert kinds[-1] == "Guidance published"
    assert 'href="/alerts/?policy=consultation%3Asexual-exploitation"' in html
    assert 'href="/policy/consultations/sexual-exploitation/feed.atom"' in html
    assert f'href="{story.question.get_absolute_url()}"' in html
    assert client.get("/policy/documents/no-such-document/").status_code == 404


def test_the_feeds_carry_the_timeline(client: Client, story: World) -> None:
    atom = client.get("/policy/documents/final-2009/feed.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(atom.content)
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == (
        "Final guidance updated: Safeguarding Children and Young People from Sexual "
        "Exploitation, version 2"
    )
    assert "Written answer: Children: Sexual Offences" in titles
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))
    rss = feedparser.parse(client.get("/policy/consultations/sexual-exploitation/feed.rss").content)
    assert [entry.title for entry in rss.entries] == titles
    assert client.get("/policy/consultations/no-such/feed.rss").status_code == 404
