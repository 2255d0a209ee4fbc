"""Fixtures for the consultations tests: a questionnaire with every kind of question, staff
of two departments, and a client that walks the public form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from moot.consultations.models import (
    Consultation,
    Question,
    QuestionKind,
    QuestionOption,
    RespondentRole,
)
from moot.consultations.services.questionnaire import question_scale_options_ensure
from moot.core.models import User
from tests.factories import ConsultationFactory, SectionFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: pytest.FixtureRequest) -> None:
    """Each test starts with empty rate-limit counters and no proof of work unless asked."""
    cache.clear()
    settings.RESPONSE_PROOF_OF_WORK = "off"  # type: ignore[attr-defined]


def build_questionnaire(consultation: Consultation) -> dict[str, Question]:
    section = SectionFactory(consultation=consultation, kind="proposals", heading="The proposals")
    for position, label in enumerate(
        ["Practitioner", "Local Safeguarding Children Board", "Parent or carer"], start=1
    ):
        RespondentRole.objects.create(consultation=consultation, position=position, label=label)
    questions = {
        "q1": Question.objects.create(
            consultation=consultation,
            position=1,
            key="q1",
            kind=QuestionKind.AGREE_SCALE,
            text="Do you agree that the guidance is clear?",
            required=True,
            section=section,
        ),
        "q2": Question.objects.create(
            consultation=consultation,
            position=2,
            key="q2",
            kind=QuestionKind.SINGLE_CHOICE,
            text="Which chapter is most useful?",
        ),
        "q3": Question.objects.create(
            consultation=consultation,
            position=3,
            key="q3",
            kind=QuestionKind.MULTIPLE_CHOICE,
            text="Which agencies should the guidance name?",
        ),
        "q4": Question.objects.create(
            consultation=consultation,
            position=4,
            key="q4",
            kind=QuestionKind.FREE_TEXT,
            text="Any other comments?",
            max_length=200,
        ),
    }
    question_scale_options_ensure(question=questions["q1"])
    for position, label in enumerate(["Chapter 1", "Chapter 2"], start=1):
        QuestionOption.objects.create(question=questions["q2"], position=position, label=label)
    for position, label in enumerate(["Police", "Health", "Schools"], start=1):
        QuestionOption.objects.create(question=questions["q3"], position=position, label=label)
    return questions


@pytest.fixture
def consultation(db: None) -> Consultation:
    consultation = ConsultationFactory(slug="open-consultation", title="An open consultation")
    build_questionnaire(consultation)
    return consultation


def option_id(consultation: Consultation, key: str, label: str) -> int:
    return QuestionOption.objects.get(
        question__consultation=consultation, question__key=key, label=label
    ).pk


@dataclass
class Respondent:
    """A person going through the public form with a real client (cookies, CSRF and all)."""

    client: Client
    consultation: Consultation

    @property
    def base(self) -> str:
        return f"/consultations/{self.consultation.slug}/respond/"

    def start(self) -> None:
        response = self.client.post(self.base, {"website": ""})
        assert response.status_code == 302, response.content[:500]

    def answer(self, step: str, data: dict[str, object]) -> object:
        return self.client.post(f"{self.base}{step}/", data)

    def fill_everything(self, *, email: str = "jane@example.org") -> None:
        c = self.consultation
        answers = [
            ("your-details", {"name": "Jane Smith", "email": email}),
            (
                "responding-as",
                {"respondent_type": "organisation", "organisation_name": "Example LSCB"},
            ),
            (
                "your-role",
                {"role": RespondentRole.objects.get(consultation=c, label="Practitioner").pk},
            ),
            ("region", {"region": "north_east"}),
            ("question-q1", {"answer": option_id(c, "q1", "Agree")}),
            ("question-q2", {"answer": option_id(c, "q2", "Chapter 2")}),
            (
                "question-q3",
                {"answer": [option_id(c, "q3", "Police"), option_id(c, "q3", "Schools")]},
            ),
            ("question-q4", {"answer": "Please say more\nabout online exploitation."}),
            ("confidentiality", {"wants_confidentiality": "no"}),
            ("publication", {"publication_consent": "with_name"}),
        ]
        for step, data in answers:
            response = self.answer(step, data)
            assert response.status_code == 302, (step, response.content.decode()[:2000])  # type: ignore[attr-defined]

    def submission_token(self) -> str:
        page = self.client.get(f"{self.base}check/").content.decode()
        match = re.search(r'name="submission_token" value="([^"]+)"', page)
        assert match is not None
        return match.group(1)

    def submit(self, token: str | None = None, **extra: str) -> object:
        data = {"submission_token": token or self.submission_token(), "website": "", **extra}
        return self.client.post(f"{self.base}check/", data)


@pytest.fixture
def respondent(client: Client, consultation: Consultation) -> Respondent:
    return Respondent(client=client, consultation=consultation)


@pytest.fixture
def staff(consultation: Consultation) -> User:
    return UserFactory(department=consultation.department)


@pytest.fixture
def other_staff(db: None) -> User:
    from tests.factories import DepartmentFactory

    return UserFactory(department=DepartmentFactory())


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


def closed(consultation: Consultation, *, days_ago: int = 1) -> Consultation:
    now = timezone.now()
    consultation.opens_at = now - dt.timedelta(days=days_ago + 30)
    consultation.closes_at = now - dt.timedelta(days=days_ago)
    consultation.save()
    return consultation


def publish_consented_responses(consultation: Consultation, *, by: User) -> int:
    """Approve every text of every response that may be published, and publish them (what a
    moderator does for responses with nothing to redact); how many were published."""
    from moot.consultations.models import ModerationDecision
    from moot.consultations.selectors.exports import responses_publishable
    from moot.consultations.services.moderation import (
        response_moderations_ensure,
        response_publish,
        text_moderation_decide,
    )

    published = 0
    for response in responses_publishable(consultation=consultation):
        for moderation in response_moderations_ensure(response=response):
            text_moderation_decide(
                moderation=moderation, decision=ModerationDecision.APPROVED, by=by
            )
        response_publish(response=response, by=by)
        published += 1
    return published
