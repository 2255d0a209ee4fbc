"""Fast inserts for importers: defaults, dates, ids back, and conflicts, on either database."""

from __future__ import annotations

import datetime as dt

import pytest

from moot.parliament.models import WrittenAnswer, WrittenQuestion
from moot.parliament.services.bulk import model_rows_insert, rows_insert
from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory

pytestmark = pytest.mark.django_db


def test_rows_get_their_defaults_and_their_ids_back() -> None:
    rows = [
        {
            "date": dt.date(2009, 11, 2),
            "identifier": f"bulk-{n}",
            "heading": f"Heading {n}",
            "text": "To ask …",
            "source_id": f"bulk/{n}",
        }
        for n in range(2500)  # more than one statement's worth
    ]
    ids = model_rows_insert(WrittenQuestion, rows, key="source_id")
    assert len(ids) == 2500
    question = WrittenQuestion.objects.get(pk=ids["bulk/7"])
    assert (question.identifier, question.heading, question.date) == (
        "bulk-7",
        "Heading 7",
        dt.date(2009, 11, 2),
    )
    assert question.house == "commons"  # the model's default
    assert question.is_withdrawn is False
    assert question.created_at is not None
    assert question.created_at == question.updated_at


def test_links_that_exist_already_are_ignored_when_asked() -> None:
    question = WrittenQuestionFactory()
    answer = WrittenAnswerFactory(questions=[question])
    other = WrittenQuestionFactory()
    through = WrittenAnswer.questions.through
    rows_insert(
        through,
        ["writtenanswer_id", "writtenquestion_id"],
        [(answer.pk, question.pk), (answer.pk, other.pk)],
        ignore_conflicts=True,
    )
    assert set(answer.questions.all()) == {question, other}
