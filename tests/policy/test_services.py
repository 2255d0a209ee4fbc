"""Finding mentions and storing them: idempotent, keeping staff decisions, in the background."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from moot.parliament.models import WrittenAnswer, WrittenQuestion, WrittenStatement
from moot.policy.models import Mention, MentionKind, MentionStatus, ScanCursor
from moot.policy.selectors import answer_mention_text
from moot.policy.services import (
    MentionReviewRefused,
    mention_review,
    mentions_refresh,
    mentions_refresh_for_targets,
    mentions_scan,
)
from tests.factories import DocumentFactory, UserFactory, WrittenAnswerFactory
from tests.policy.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: object) -> None:
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _stored(world: World) -> list[tuple[str, str, str]]:
    return [
        (m.matched_text, m.kind, str(m.target.slug))  # type: ignore[union-attr]
        for m in Mention.objects.filter(answer=world.answer).order_by("start")
    ]


def test_the_seed_answer_gets_its_three_mentions_with_their_places(world: World) -> None:
    counts = mentions_refresh(answer_ids=[world.answer.pk])
    assert counts.created == 3
    assert _stored(world) == [
        (
            "Working Together to Safeguard Children",
            MentionKind.QUOTED_TITLE,
            "working-together-2006",
        ),
        ("Working Together", MentionKind.SHORT_NAME, "working-together-2006"),
        (
            "Safeguarding Children involved in prostitution",
            MentionKind.QUOTED_TITLE,
            "prostitution-2000",
        ),
    ]
    text = answer_mention_text(world.answer)
    for mention in Mention.objects.all():
        assert text[mention.start : mention.end] == mention.matched_text
        assert mention.status == MentionStatus.SUGGESTED


def test_finding_again_changes_nothing(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    before = list(Mention.objects.values_list("id", "start", "end", "updated_at"))
    counts = mentions_refresh(answer_ids=[world.answer.pk])
    assert (counts.created, counts.moved, counts.deleted) == (0, 0, 0)
    assert list(Mention.objects.values_list("id", "start", "end", "updated_at")) == before


def test_a_removed_mention_is_never_suggested_again(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    staff = UserFactory(department=world.department)
    short = Mention.objects.get(kind=MentionKind.SHORT_NAME)
    mention_review(mention=short, status=MentionStatus.REMOVED, by=staff)
    mentions_refresh(answer_ids=[world.answer.pk])
    short.refresh_from_db()
    assert short.status == MentionStatus.REMOVED
    assert Mention.objects.count() == 3


def test_a_reviewed_mention_keeps_its_review_when_the_text_moves_around_it(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    staff = UserFactory(department=world.department)
    mention = Mention.objects.get(document=world.prostitution)
    mention_review(mention=mention, status=MentionStatus.CONFIRMED, by=staff)
    world.answer.body_html = "<p>A corrected opening sentence.</p>" + world.answer.body_html
    world.answer.save()
    counts = mentions_refresh(answer_ids=[world.answer.pk])
    mention.refresh_from_db()
    assert counts.moved >= 1
    assert mention.status == MentionStatus.CONFIRMED
    text = answer_mention_text(world.answer)
    assert text[mention.start : mention.end] == "Safeguarding Children involved in prostitution"


def test_words_gone_from_the_text_take_their_mentions_with_them(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    world.answer.body_html = "<p>The Department has taken steps.</p>"
    world.answer.save()
    counts = mentions_refresh(answer_ids=[world.answer.pk])
    assert counts.deleted == 3
    assert not Mention.objects.exists()


def test_review_refuses_the_status_it_already_has(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    staff = UserFactory(department=world.department)
    mention = Mention.objects.first()
    assert mention is not None
    mention_review(mention=mention, status=MentionStatus.CONFIRMED, by=staff)
    with pytest.raises(MentionReviewRefused):
        mention_review(mention=mention, status=MentionStatus.CONFIRMED, by=staff)
    with pytest.raises(MentionReviewRefused):
        mention_review(mention=mention, status=MentionStatus.SUGGESTED, by=staff)
    mention.refresh_from_db()
    assert mention.reviewed_by == staff


def test_the_scan_finds_mentions_in_records_saved_since_it_last_ran(world: World) -> None:
    report = mentions_scan()
    assert report.answers == 1
    assert Mention.objects.filter(answer=world.answer).count() == 3
    assert ScanCursor.objects.get().position <= timezone.now()
    a_day_ago = timezone.now() - dt.timedelta(days=1)
    WrittenAnswer.objects.update(updated_at=a_day_ago)
    WrittenQuestion.objects.update(updated_at=a_day_ago)
    later = WrittenAnswerFactory(
        body_html="<p>See 'Working Together to Safeguard Children' (2006).</p>",
        date_answered=dt.date(2008, 1, 10),
        questions=[world.question],
    )
    ScanCursor.objects.update(position=timezone.now() - dt.timedelta(hours=2))
    report = mentions_scan()
    assert (report.answers, report.questions) == (1, 0)
    assert Mention.objects.filter(answer=later, document=world.working_together).count() == 1


def test_a_document_added_later_is_found_in_records_imported_before(world: World) -> None:
    answer = WrittenAnswerFactory(
        body_html="<p>We published 'Every Child Matters: Change for Children' in 2004.</p>",
        date_answered=dt.date(2007, 1, 10),
    )
    mentions_scan()
    assert not Mention.objects.filter(answer=answer).exists()
    ScanCursor.objects.update(position=timezone.now() - dt.timedelta(hours=1))
    document = DocumentFactory(
        title="Every Child Matters: Change for Children", published_on=dt.date(2004, 12, 1)
    )
    mentions_scan()
    assert Mention.objects.get(answer=answer).document == document


def test_a_renamed_document_loses_the_mentions_of_its_old_name(world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    world.prostitution.title = "Something else entirely"
    world.prostitution.save()
    mentions_refresh_for_targets(document_ids=[world.prostitution.pk])
    assert not Mention.objects.filter(document=world.prostitution).exists()


def test_the_scan_finds_mentions_in_statements_too(world: World) -> None:
    statement = WrittenStatement.objects.create(
        date=dt.date(2008, 3, 14),
        identifier="sexual-exploitation-consultation",
        title="Sexual Exploitation Guidance",
        department=world.department,
        body_html="<p>We are consulting on 'Safeguarding children and young people from sexual "
        "exploitation: draft guidance'.</p>",
    )
    report = mentions_scan()
    assert report.statements == 1
    mention = Mention.objects.get(statement=statement)
    assert mention.consultation == world.consultation  # preferred to its own draft document
    assert mention.kind == MentionKind.QUOTED_TITLE


def test_the_find_mentions_command_reads_every_record_and_is_idempotent(world: World) -> None:
    out = io.StringIO()
    call_command("find_mentions", stdout=out)
    assert "3 new" in out.getvalue()
    out = io.StringIO()
    call_command("find_mentions", stdout=out)
    assert "0 new, 0 moved, 0 gone" in out.getvalue()
    assert Mention.objects.count() == 3
