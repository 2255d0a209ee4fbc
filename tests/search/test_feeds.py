"""RSS and Atom feeds, read back with feedparser as a feed reader would."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from moot.consultations.models import DocumentVersion
from moot.search.services import search_index_rebuild
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    PersonFactory,
    SectionFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.search.conftest import attachment

pytestmark = pytest.mark.django_db

FORMATS = [("atom", "atom10"), ("rss", "rss20")]


def read(client: Client, url: str, **params: str) -> feedparser.FeedParserDict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_search_feed_lists_matches_newest_first(
    client: Client, suffix: str, version: str
) -> None:
    for day in (3, 1, 2):
        WrittenQuestionFactory(heading=f"Coastal erosion {day}", date=dt.date(2008, 5, day))
    WrittenQuestionFactory(heading="Something else")
    search_index_rebuild()
    feed = read(client, f"/search/feed.{suffix}", q="erosion")
    assert feed.version == version
    assert feed.feed.title == "moot search: erosion"
    assert [entry.title for entry in feed.entries] == [
        "Coastal erosion 3",
        "Coastal erosion 2",
        "Coastal erosion 1",
    ]
    assert feed.entries[0].link.startswith("http://testserver/written-questions/2008-05-03/")
    assert "<mark>erosion</mark>" not in feed.entries[0].title


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_search_feed_for_a_bad_query_says_why(client: Client, suffix: str, version: str) -> None:
    response = client.get(f"/search/feed.{suffix}", {"q": "date:2007-13"})
    assert response.status_code == 400
    assert "not a date" in response.content.decode()
    assert client.get(f"/search/feed.{suffix}").status_code == 400


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_member_feed_has_their_questions_and_answers(
    client: Client, suffix: str, version: str
) -> None:
    member = PersonFactory(name="Helen Southworth", slug="helen-southworth")
    asked = WrittenQuestionFactory(heading="Asked by her", asking_person=member)
    answered = WrittenQuestionFactory(heading="Answered by her")
    WrittenAnswerFactory(questions=[answered], answering_person=member)
    WrittenQuestionFactory(heading="Nothing to do with her")
    search_index_rebuild()
    feed = read(client, f"/members/{member.slug}/feed.{suffix}")
    assert feed.feed.title == "Helen Southworth: written questions and answers"
    assert sorted(entry.title for entry in feed.entries) == sorted(
        [asked.heading, answered.heading]
    )
    assert client.get(f"/members/nobody/feed.{suffix}").status_code == 404


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_department_feed_has_its_questions_consultations_and_documents(
    client: Client, suffix: str, version: str
) -> None:
    department = DepartmentFactory(name="Home Office", slug="home-office")
    WrittenQuestionFactory(heading="A question", department=department)
    ConsultationFactory(title="A consultation", department=department)
    DocumentFactory(title="A document", department=department)
    WrittenQuestionFactory(heading="Another department's question")
    search_index_rebuild()
    feed = read(client, f"/departments/home-office/feed.{suffix}")
    assert sorted(entry.title for entry in feed.entries) == [
        "A consultation",
        "A document",
        "A question",
    ]
    assert client.get(f"/departments/nowhere/feed.{suffix}").status_code == 404


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_the_consultations_feed_lists_published_consultations_newest_first(
    client: Client, suffix: str, version: str
) -> None:
    now = timezone.now()
    ConsultationFactory(title="Older", published_at=now - dt.timedelta(days=5))
    ConsultationFactory(title="Newer", published_at=now - dt.timedelta(days=1))
    ConsultationFactory(title="Draft", published_at=None)
    ConsultationFactory(title="Scheduled", published_at=now + dt.timedelta(days=1))
    feed = read(client, f"/consultations/feed.{suffix}")
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]
    assert feed.entries[0].link.startswith("http://testserver/consultations/")


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_consultation_feed_has_its_documents_outcome_and_changes(
    client: Client, suffix: str, version: str
) -> None:
    now = timezone.now()
    consultation = ConsultationFactory(
        title="Safeguarding",
        opens_at=now - dt.timedelta(days=100),
        closes_at=now - dt.timedelta(days=10),
        published_at=now - dt.timedelta(days=101),
        outcome_published_at=now - dt.timedelta(days=2),
    )
    section = SectionFactory(consultation=consultation, heading="The proposals")
    # Created and edited after publication: they are updates, not part of the original.
    type(consultation).objects.filter(pk=consultation.pk).update(
        created_at=now - dt.timedelta(days=101)
    )
    type(section).objects.filter(pk=section.pk).update(
        created_at=now - dt.timedelta(days=101), updated_at=now - dt.timedelta(days=50)
    )
    attachment(consultation=consultation, title="Summary of responses", role="summary_of_responses")
    guidance = DocumentFactory(
        title="Final guidance", consultation=consultation, published_on=now.date()
    )
    DocumentVersion.objects.create(document=guidance, number=1, published_on=now.date())
    DocumentVersion.objects.create(
        document=guidance, number=2, published_on=now.date(), change_note="Corrected annex B."
    )
    feed = read(client, f"/consultations/{consultation.slug}/feed.{suffix}")
    titles = [entry.title for entry in feed.entries]
    assert titles[-5:] == [
        "Outcome published",
        "Consultation closed",
        "Section updated: The proposals",
        "Consultation opened for responses",
        "Consultation published",
    ]
    assert "Added: Summary of responses" in titles
    assert "Published: Final guidance" in titles
    assert "Updated: Final guidance (version 2)" in titles
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    updated = next(e for e in feed.entries if e.title.startswith("Updated: Final"))
    assert "Corrected annex B." in updated.summary
    assert updated.link == f"http://testserver{guidance.get_absolute_url()}"


@pytest.mark.parametrize(("suffix", "version"), FORMATS)
def test_a_draft_consultation_has_no_feed(client: Client, suffix: str, version: str) -> None:
    draft = ConsultationFactory(published_at=None)
    assert client.get(f"/consultations/{draft.slug}/feed.{suffix}").status_code == 404
    assert client.get(f"/consultations/no-such-thing/feed.{suffix}").status_code == 404


def test_pages_link_to_their_feeds(client: Client) -> None:
    member = PersonFactory(slug="helen-southworth")
    department = DepartmentFactory(slug="home-office")
    consultation = ConsultationFactory()
    for page, feed in [
        (f"/members/{member.slug}/", f"/members/{member.slug}/feed"),
        (f"/departments/{department.slug}/", f"/departments/{department.slug}/feed"),
        ("/consultations/", "/consultations/feed"),
        (f"/consultations/{consultation.slug}/", f"/consultations/{consultation.slug}/feed"),
    ]:
        html = client.get(page).content.decode()
        assert 'type="application/atom+xml" title="' in html, page
        assert f'href="{feed}.atom">Atom feed</a>' in html, page
        assert '<link rel="alternate" type="application/rss+xml"' in html, page
        assert f'href="{feed}.rss">RSS feed</a>' in html, page
        for suffix in ("atom", "rss"):
            assert client.get(f"{feed}.{suffix}").status_code == 200
