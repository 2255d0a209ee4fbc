"""The public page of published responses: a page at a time, searched, and narrowed to one
question or to a theme of the published analysis."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from moot.analysis.models import AnalysisRun, ThemeAssignmentRow
from moot.analysis.services.summary import analysis_summary_generate, analysis_summary_publish
from moot.consultations.models import Answer, Consultation, Question, QuestionKind
from moot.consultations.selectors.exports import responses_publishable
from moot.consultations.selectors.published import PUBLISHED_PAGE_SIZE
from moot.core.models import User
from tests.analysis.conftest import themes_of
from tests.consultations.conftest import publish_consented_responses
from tests.pages import text_of

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r'id="response-(MOOT-\w{4}-\w{4})"')


@pytest.fixture
def published(consultation: Consultation, run: AnalysisRun, analyst: User) -> Consultation:
    analysis_summary_generate(run=run, by=analyst)
    analysis_summary_publish(run=run, by=analyst)
    consultation.refresh_from_db()
    assert consultation.outcome_published_at is not None
    assert publish_consented_responses(consultation, by=analyst) > 0
    return consultation


def url(consultation: Consultation) -> str:
    return f"/consultations/{consultation.slug}/published-responses/"


def references(client: Client, address: str, **params: str) -> list[str]:
    response = client.get(address, params)
    assert response.status_code == 200
    return REFERENCE.findall(response.content.decode())


def test_the_responses_come_a_page_at_a_time_and_every_one_is_reachable(
    client: Client, published: Consultation, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    expected = list(
        responses_publishable(consultation=published).values_list("reference", flat=True)
    )
    assert len(expected) > 2 * PUBLISHED_PAGE_SIZE
    seen: list[str] = []
    page = 1
    while True:
        with django_assert_max_num_queries(20):
            found = references(client, url(published), page=str(page))
        assert len(found) <= PUBLISHED_PAGE_SIZE
        seen += found
        if len(seen) >= len(expected):
            break
        page += 1
    assert seen == expected
    first = text_of(client.get(url(published)).content.decode())
    assert f"Showing 1 to {PUBLISHED_PAGE_SIZE} of {len(expected)} responses" in first


def test_search_finds_published_text_but_never_unpublished_names_or_emails(
    client: Client, published: Consultation
) -> None:
    publishable = responses_publishable(consultation=published)
    answer = (
        Answer.objects.filter(response__in=publishable, question__kind=QuestionKind.FREE_TEXT)
        .exclude(text="")
        .select_related("response")
        .first()
    )
    assert answer is not None
    word = max(answer.text.split(), key=len).strip(".,;:!?")
    found = references(client, url(published), q=word)
    assert answer.response.reference in found
    in_answers = publishable.filter(answers__text__icontains=word)
    in_letters = publishable.filter(body_text__icontains=word)
    matching = set(in_answers.values_list("reference", flat=True)) | set(
        in_letters.values_list("reference", flat=True)
    )
    assert set(found) <= matching
    hidden = published.responses.exclude(pk__in=publishable).exclude(respondent_email="").first()
    if hidden is not None:
        assert references(client, url(published), q=hidden.respondent_email) == []
    nothing = text_of(client.get(url(published), {"q": "zzqxnotaword"}).content.decode())
    assert "No responses match your search." in nothing


def test_narrowing_to_a_question_shows_only_its_answers(
    client: Client, published: Consultation
) -> None:
    question = published.questions.filter(kind=QuestionKind.FREE_TEXT).order_by("position")[0]
    other = published.questions.exclude(pk=question.pk).order_by("position")[0]
    page = client.get(url(published), {"question": question.key}).content.decode()
    assert question.text in page
    assert f'<dt class="govuk-summary-list__key">{other.text}</dt>' not in page
    answered = set(
        Answer.objects.filter(question=question).values_list("response__reference", flat=True)
    )
    assert set(REFERENCE.findall(page)) <= answered


def test_narrowing_to_a_theme_of_the_published_analysis(
    client: Client, published: Consultation, run: AnalysisRun
) -> None:
    ref = next(q["ref"] for q in run.summary["questions"] if q["kind"] == "free_text")
    theme = themes_of(run, ref)[0]
    page = client.get(url(published)).content.decode()
    assert theme["label"] in page  # offered as a choice
    found = references(client, url(published), theme=f"{ref}:{theme['id']}")
    given = set(
        ThemeAssignmentRow.objects.filter(
            run=run, question_ref=ref, theme_key=theme["id"]
        ).values_list("response__reference", flat=True)
    )
    assert found
    assert set(found) <= given
    # An unknown theme is refused by the form and the page shows every response.
    assert references(client, url(published), theme="nope:nope")


def test_questions_are_named_by_number_in_the_filter(
    client: Client, published: Consultation
) -> None:
    question: Question = published.questions.order_by("position")[0]
    page = client.get(url(published)).content.decode()
    assert f"{question.position}. {question.text}" in page
