"""Who a speaker id in a record is, and linking records to people imported after them.

Sources name speakers by ids of their own:

- ParlParse ``uk.org.publicwhip/member/1421`` or ``…/lord/100844``: a seat (a Membership's
  ``parlparse_id``), held by one person;
- ParlParse ``uk.org.publicwhip/person/10001``: a Person's ``parlparse_id``;
- UK Parliament ``parliament.uk/member/4253``: a Person's ``parliament_member_id``.

Records keep the id they were given, so that importing members later links them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from moot.parliament.models import (
    Membership,
    Person,
    Post,
    Speech,
    WrittenAnswer,
    WrittenQuestion,
    WrittenStatement,
)

PARLIAMENT_MEMBER_PREFIX = "parliament.uk/member/"
LINK_BATCH = 2000


def parliament_member_speaker_id(member_id: int | str) -> str:
    return f"{PARLIAMENT_MEMBER_PREFIX}{member_id}"


@dataclass(frozen=True, slots=True)
class _DepartmentPost:
    start: dt.date
    end: dt.date | None
    department_id: int


class SpeakerDirectory:
    """Speaker ids to person ids, and people's departments by date, loaded once per run."""

    def __init__(self) -> None:
        self.people: dict[str, int] = {
            str(key): pk
            for key, pk in Membership.objects.exclude(parlparse_id=None).values_list(
                "parlparse_id", "person_id"
            )
        }
        for key, pk in Person.objects.exclude(parlparse_id=None).values_list("parlparse_id", "id"):
            self.people[str(key)] = pk
        for pk, member_id in Person.objects.exclude(parliament_member_id=None).values_list(
            "id", "parliament_member_id"
        ):
            self.people[parliament_member_speaker_id(str(member_id))] = pk
        self.posts: dict[int, list[_DepartmentPost]] = defaultdict(list)
        for person_id, start, end, department_id in Post.objects.exclude(
            department=None
        ).values_list("person_id", "start_date", "end_date", "department_id"):
            self.posts[person_id].append(_DepartmentPost(start, end, department_id))

    def person_id(self, speaker_id: str) -> int | None:
        return self.people.get(speaker_id) if speaker_id else None

    def department_on(self, person_id: int | None, date: dt.date) -> int | None:
        """The department a person held a post in on ``date``, when there was exactly one."""
        if person_id is None:
            return None
        departments = {
            post.department_id
            for post in self.posts.get(person_id, ())
            if post.start <= date and (post.end is None or date <= post.end)
        }
        return departments.pop() if len(departments) == 1 else None


def speakers_link(*, directory: SpeakerDirectory | None = None) -> dict[str, int]:
    """Link questions, answers and statements whose speakers were unknown when they were
    imported.

    Also gives a department to answers, questions and statements that came without one
    (House of Lords records name no department) when the minister held a post in exactly
    one department that day. Idempotent; returns how many of each were linked.
    """
    directory = directory or SpeakerDirectory()
    with transaction.atomic():
        return {
            "questions": _people_link(WrittenQuestion, "asking", directory),
            "answers": _people_link(WrittenAnswer, "answering", directory),
            "speeches": _speakers_link(directory),
            "departments": _departments_link(directory),
            "statements": _statements_link(directory),
        }


def _people_link(
    model: type[WrittenQuestion] | type[WrittenAnswer], role: str, directory: SpeakerDirectory
) -> int:
    """Give ``<role>_person`` to rows that have only ``<role>_speaker_id``; how many got one."""
    unlinked = (
        model.objects.filter(**{f"{role}_person": None})
        .exclude(**{f"{role}_speaker_id": ""})
        .values_list("id", f"{role}_speaker_id")
    )
    updates: list[Any] = []
    for pk, speaker in unlinked:
        person_id = directory.person_id(speaker)
        if person_id is not None:
            updates.append(model(id=pk, **{f"{role}_person_id": person_id}))
    model.objects.bulk_update(updates, [f"{role}_person"], batch_size=LINK_BATCH)
    return len(updates)


def _speakers_link(directory: SpeakerDirectory) -> int:
    """Give debate speeches whose speaker was unknown when imported their person."""
    unlinked = Speech.objects.filter(speaker=None).exclude(speaker_source_id="")
    updates = []
    for pk, speaker in unlinked.values_list("id", "speaker_source_id"):
        person_id = directory.person_id(speaker)
        if person_id is not None:
            updates.append(Speech(id=pk, speaker_id=person_id))
    Speech.objects.bulk_update(updates, ["speaker"], batch_size=LINK_BATCH)
    return len(updates)


def _departments_link(directory: SpeakerDirectory) -> int:
    answers = WrittenAnswer.objects.filter(department=None).exclude(answering_person=None)
    answer_updates = []
    for pk, person_id, date in answers.values_list("id", "answering_person_id", "date_answered"):
        department_id = directory.department_on(person_id, date)
        if department_id is not None:
            answer_updates.append(WrittenAnswer(id=pk, department_id=department_id))
    WrittenAnswer.objects.bulk_update(answer_updates, ["department"], batch_size=LINK_BATCH)
    departments = {answer.pk: answer.department_id for answer in answer_updates}
    question_updates = {}
    answer_ids = list(departments)
    for start in range(0, len(answer_ids), LINK_BATCH):
        through = WrittenAnswer.questions.through.objects.filter(
            writtenanswer_id__in=answer_ids[start : start + LINK_BATCH],
            writtenquestion__department=None,
        )
        for question_id, answer_id in through.values_list("writtenquestion_id", "writtenanswer_id"):
            question_updates[question_id] = WrittenQuestion(
                id=question_id, department_id=departments[answer_id]
            )
    WrittenQuestion.objects.bulk_update(
        list(question_updates.values()), ["department"], batch_size=LINK_BATCH
    )
    return len(answer_updates)


def _statements_link(directory: SpeakerDirectory) -> int:
    """Give statements their minister, and then their department, where now known."""
    updates: list[WrittenStatement] = []
    rows = WrittenStatement.objects.filter(Q(person=None) | Q(department=None)).values_list(
        "id", "person_id", "speaker_id", "department_id", "date"
    )
    for pk, person_id, speaker, department_id, date in rows:
        found = person_id or directory.person_id(speaker)
        department = department_id or directory.department_on(found, date)
        if (found, department) != (person_id, department_id):
            updates.append(WrittenStatement(id=pk, person_id=found, department_id=department))
    WrittenStatement.objects.bulk_update(updates, ["person", "department"], batch_size=LINK_BATCH)
    return len(updates)
