"""Written answers newest first, for the answer feeds, and answered questions newest first,
for the paged list of everything recently answered."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from moot.core.models import Department
from moot.parliament.models import WrittenAnswer, WrittenQuestion


def written_answers_newest(
    *,
    department: Department | None = None,
    house: str | None = None,
    day: dt.date | None = None,
    limit: int = 50,
) -> list[WrittenAnswer]:
    """The ``limit`` newest answers (by the day answered, then the newest record), with
    their questions in the order of the record, optionally of one department, House or day.

    A newer version of a record updates its answer in place, so it is still one answer
    (with a later ``updated_at``); an answer a newer version removed is gone.
    """
    answers = WrittenAnswer.objects.select_related("department", "answering_person")
    if department is not None:
        answers = answers.filter(department=department)
    if house is not None:
        # An answer has no House of its own: it is the House of the questions it answers.
        answers = answers.filter(
            Exists(
                WrittenAnswer.questions.through.objects.filter(
                    writtenanswer_id=OuterRef("pk"), writtenquestion__house=house
                )
            )
        )
    if day is not None:
        answers = answers.filter(date_answered=day)
    return list(
        answers.prefetch_related(
            Prefetch("questions", queryset=WrittenQuestion.objects.order_by("position", "id"))
        ).order_by("-date_answered", "-id")[:limit]
    )


def questions_answered_newest_first() -> QuerySet[WrittenQuestion]:
    """Every answered question, newest first: the whole list "recently answered" begins."""
    answered = WrittenAnswer.questions.through.objects.filter(writtenquestion_id=OuterRef("pk"))
    return (
        WrittenQuestion.objects.filter(Exists(answered))
        .select_related("department", "asking_person")
        .order_by("-date", "-id")
    )
