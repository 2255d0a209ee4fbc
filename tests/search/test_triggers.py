"""The change log is written by database triggers, in the same transaction as the change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, models, transaction

from moot.consultations.models import ConsultationSection, DocumentVersion
from moot.parliament.models import Person, WrittenQuestion
from moot.search.models import SearchChange
from moot.search.triggers import triggers_install, triggers_installed, watched
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    SectionFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.search.conftest import attachment


def _logged_since(last: int) -> list[tuple[str, int]]:
    return list(
        SearchChange.objects.filter(id__gt=last).order_by("id").values_list("kind", "object_id")
    )


def _last() -> int:
    return SearchChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.django_db
def test_every_watched_table_has_its_trigger() -> None:
    assert {watch.table for watch in watched()} <= triggers_installed()


@pytest.mark.django_db
def test_saving_and_deleting_a_question_is_logged() -> None:
    start = _last()
    question = WrittenQuestionFactory()
    question.heading = "Changed"
    question.save()
    pk = question.pk
    question.delete()
    logged = _logged_since(start)
    assert logged.count(("question", pk)) == 3


@pytest.mark.django_db
def test_answers_and_the_questions_they_answer_are_logged() -> None:
    question = WrittenQuestionFactory()
    start = _last()
    answer = WrittenAnswerFactory(questions=[question])
    assert ("answer", answer.pk) in _logged_since(start)
    assert ("question", question.pk) in _logged_since(start)  # the M2M row
    start = _last()
    answer.questions.clear()
    assert _logged_since(start) == [("question", question.pk)]


@pytest.mark.django_db
def test_sections_attachments_and_versions_log_their_parent() -> None:
    consultation = ConsultationFactory()
    document = DocumentFactory()
    start = _last()
    section = SectionFactory(consultation=consultation)
    version = DocumentVersion.objects.create(
        document=document, number=1, published_on=dt.date(2008, 1, 1)
    )
    annex = attachment(consultation=consultation, document_version=version)
    logged = _logged_since(start)
    assert ("consultation", consultation.pk) in logged
    assert ("document", document.pk) in logged
    assert ("document_version", version.pk) in logged
    start = _last()
    other = ConsultationFactory()
    start = _last()
    ConsultationSection.objects.filter(pk=section.pk).update(consultation=other)
    # Moving a section changes both consultations.
    assert set(_logged_since(start)) == {
        ("consultation", other.pk),
        ("consultation", consultation.pk),
    }
    start = _last()
    annex.delete()
    assert set(_logged_since(start)) == {
        ("consultation", consultation.pk),
        ("document_version", version.pk),
    }


@pytest.mark.django_db
def test_people_parties_and_departments_are_logged_only_when_their_names_change() -> None:
    person = PersonFactory()
    party = PartyFactory()
    department = DepartmentFactory()
    start = _last()
    Person.objects.filter(pk=person.pk).update(given_name="Unchanged display name")
    party.short_name = "Lab"
    party.save()
    department.website_url = "https://example.org/"
    department.save()
    assert _logged_since(start) == []
    Person.objects.filter(pk=person.pk).update(name="Renamed Person")
    party.slug = "labour-party"
    party.save()
    department.name = "Department of Renamed Things"
    department.save()
    assert _logged_since(start) == [
        ("person", person.pk),
        ("party", party.pk),
        ("department", department.pk),
    ]
    start = _last()
    membership = MembershipFactory(person=person, party=party)
    assert ("person", person.pk) in _logged_since(start)
    start = _last()
    membership.delete()
    assert _logged_since(start) == [("person", person.pk)]


@pytest.mark.django_db
def test_bulk_updates_and_raw_sql_are_logged() -> None:
    questions = WrittenQuestionFactory.create_batch(3)
    start = _last()
    WrittenQuestion.objects.filter(pk__in=[q.pk for q in questions]).update(heading="Bulk")
    table = WrittenQuestion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET text = %s WHERE id = %s',  # noqa: S608
            ["Raw", questions[0].pk],
        )
    logged = _logged_since(start)
    assert sorted(logged) == sorted(
        [("question", q.pk) for q in questions] + [("question", questions[0].pk)]
    )


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_log() -> None:
    start = _last()

    def write_then_fail() -> None:
        with transaction.atomic():
            WrittenQuestionFactory()
            raise RuntimeError("abandon the transaction")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert _logged_since(start) == []


@pytest.mark.django_db
def test_installing_again_changes_nothing_and_logs_once() -> None:
    triggers_install()
    triggers_install()
    start = _last()
    question = WrittenQuestionFactory()
    assert _logged_since(start) == [("question", question.pk)]


@pytest.mark.django_db(transaction=True)
def test_triggers_survive_a_migration_that_rebuilds_a_watched_table() -> None:
    """SQLite drops a table's triggers when a schema change rebuilds the table; migrate's
    post_migrate puts them back, whichever app's migration did it."""
    table = ConsultationSection._meta.db_table
    old_field = ConsultationSection._meta.get_field("heading")
    new_field = models.CharField(max_length=250)
    new_field.set_attributes_from_name("heading")
    new_field.model = ConsultationSection
    with connection.schema_editor() as editor:
        editor.alter_field(ConsultationSection, old_field, new_field)
    try:
        if connection.vendor == "sqlite":
            # The rebuild really did drop them: this is what the post_migrate hook is for.
            assert table not in triggers_installed()
        call_command("migrate", verbosity=0)
        assert table in triggers_installed()
        consultation = ConsultationFactory()
        start = _last()
        SectionFactory(consultation=consultation)
        assert _logged_since(start) == [("consultation", consultation.pk)]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(ConsultationSection, new_field, old_field)
        call_command("migrate", verbosity=0)
    assert table in triggers_installed()
