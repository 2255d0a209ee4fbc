import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from moot.consultations.models import (
    Consultation,
    ConsultationStatus,
    DocumentRelation,
    RelationKind,
)
from tests.factories import ConsultationFactory, DepartmentFactory, DocumentFactory

NOW = dt.datetime(2008, 5, 1, 12, 0, tzinfo=dt.UTC)


def consultation(**overrides: object) -> Consultation:
    values: dict[str, object] = {
        "opens_at": dt.datetime(2008, 3, 14, tzinfo=dt.UTC),
        "closes_at": dt.datetime(2008, 6, 12, 23, 59, tzinfo=dt.UTC),
        "published_at": dt.datetime(2008, 3, 1, tzinfo=dt.UTC),
    }
    values.update(overrides)
    return Consultation(**values)


@pytest.mark.parametrize(
    ("overrides", "moment", "expected"),
    [
        ({"published_at": None}, NOW, ConsultationStatus.DRAFT),
        ({}, dt.datetime(2008, 3, 1, tzinfo=dt.UTC), ConsultationStatus.UPCOMING),
        ({}, NOW, ConsultationStatus.OPEN),
        ({}, dt.datetime(2008, 7, 1, tzinfo=dt.UTC), ConsultationStatus.CLOSED),
        (
            {"analysis_started_at": dt.datetime(2008, 6, 20, tzinfo=dt.UTC)},
            dt.datetime(2008, 7, 1, tzinfo=dt.UTC),
            ConsultationStatus.ANALYSING,
        ),
        (
            {
                "analysis_started_at": dt.datetime(2008, 6, 20, tzinfo=dt.UTC),
                "outcome_published_at": dt.datetime(2009, 6, 30, tzinfo=dt.UTC),
            },
            dt.datetime(2009, 7, 1, tzinfo=dt.UTC),
            ConsultationStatus.OUTCOME_PUBLISHED,
        ),
    ],
)
def test_status_is_derived_from_dates_and_staff_actions(
    overrides: dict[str, object], moment: dt.datetime, expected: ConsultationStatus
) -> None:
    assert consultation(**overrides).status_at(moment) == expected


def test_closing_time_is_the_boundary() -> None:
    closes = dt.datetime(2008, 6, 12, 23, 59, tzinfo=dt.UTC)
    assert consultation().status_at(closes - dt.timedelta(seconds=1)) == ConsultationStatus.OPEN
    assert consultation().status_at(closes) == ConsultationStatus.CLOSED


@pytest.mark.django_db
def test_database_refuses_a_consultation_that_closes_before_it_opens() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationFactory(
            opens_at=timezone.now(), closes_at=timezone.now() - dt.timedelta(days=1)
        )


@pytest.mark.django_db
def test_database_refuses_an_outcome_for_an_unpublished_consultation() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationFactory(published_at=None, outcome_published_at=timezone.now())


@pytest.mark.django_db
def test_database_refuses_duplicate_and_self_relations() -> None:
    first, second = DocumentFactory(), DocumentFactory()
    DocumentRelation.objects.create(subject=first, kind=RelationKind.REPLACES, object=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRelation.objects.create(subject=first, kind=RelationKind.REPLACES, object=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRelation.objects.create(subject=first, kind=RelationKind.SUPPLEMENTS, object=first)


@pytest.mark.django_db
def test_a_department_with_consultations_cannot_be_deleted() -> None:
    from django.db.models import ProtectedError

    department = DepartmentFactory()
    ConsultationFactory(department=department)
    with pytest.raises(ProtectedError):
        department.delete()
