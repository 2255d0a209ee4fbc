"""Public pages for cookieless readers come from a shared cache; everyone else gets fresh ones."""

import pytest
from django.core.cache import cache
from django.test import Client

from moot.core import pagecache
from moot.parliament.models import AnswerVote
from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    pagecache._local.clear()


@pytest.fixture
def question():  # type: ignore[no-untyped-def]
    question = WrittenQuestionFactory()
    WrittenAnswerFactory(questions=[question])
    return question


def test_cookieless_readers_share_one_rendering_without_personal_parts(question) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    first = client.get(question.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    second = Client().get(question.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Cookie" in second["Vary"]
    assert second["Content-Security-Policy"]  # headers are added again, not cached


def test_readers_with_cookies_get_a_fresh_page_with_their_own_form(question) -> None:  # type: ignore[no-untyped-def]
    Client().get(question.get_absolute_url())
    client = Client()
    client.cookies["moot_voter"] = "anything"
    page = client.get(question.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "csrfmiddlewaretoken" in page.content.decode()


def test_a_vote_from_a_cached_page_counts_and_the_voter_then_sees_it(question) -> None:  # type: ignore[no-untyped-def]
    answer = question.answers.get()
    reader = Client(enforce_csrf_checks=True)
    reader.get(question.get_absolute_url())  # the cached page: no token in its form
    vote = reader.post(
        f"/written-questions/answers/{answer.pk}/vote/",
        {"vote": "yes"},
        HTTP_ORIGIN="http://testserver",
    )
    assert vote.status_code == 303
    assert AnswerVote.objects.filter(answer=answer, answers_question=True).count() == 1
    # The reader now has a voter cookie, so they see their own vote at once.
    again = reader.get(question.get_absolute_url())
    assert "X-Page-Cache" not in again
    assert "You said yes" in again.content.decode()


def test_a_vote_from_another_site_is_still_refused(question) -> None:  # type: ignore[no-untyped-def]
    answer = question.answers.get()
    refused = Client(enforce_csrf_checks=True).post(
        f"/written-questions/answers/{answer.pk}/vote/",
        {"vote": "yes"},
        HTTP_ORIGIN="https://elsewhere.example",
    )
    assert refused.status_code == 403
    assert not AnswerVote.objects.exists()


def test_errors_and_redirects_are_not_cached(question) -> None:  # type: ignore[no-untyped-def]
    missing = f"/written-questions/{question.date.isoformat()}/no-such-question/"
    assert Client().get(missing).status_code == 404
    assert "X-Page-Cache" not in Client().get(missing)


def test_a_page_older_than_the_limit_is_rendered_again(question, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    Client().get(question.get_absolute_url())
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    later = time.time() + 31
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    assert Client().get(question.get_absolute_url())["X-Page-Cache"] == "miss"
