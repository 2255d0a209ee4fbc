import datetime as dt

import pytest
from django.utils import timezone

from moot.consultations import selectors
from moot.consultations.models import ConsultationStatus, DocumentRelation, RelationKind
from tests.factories import ConsultationFactory, DepartmentFactory, DocumentFactory


@pytest.fixture
def one_of_each(db: None) -> dict[ConsultationStatus, object]:
    now = timezone.now()
    day = dt.timedelta(days=1)
    return {
        ConsultationStatus.DRAFT: ConsultationFactory(published_at=None),
        ConsultationStatus.UPCOMING: ConsultationFactory(
            opens_at=now + day, closes_at=now + 9 * day
        ),
        ConsultationStatus.OPEN: ConsultationFactory(),
        ConsultationStatus.CLOSED: ConsultationFactory(opens_at=now - 9 * day, closes_at=now - day),
        ConsultationStatus.ANALYSING: ConsultationFactory(
            opens_at=now - 9 * day, closes_at=now - day, analysis_started_at=now
        ),
        ConsultationStatus.OUTCOME_PUBLISHED: ConsultationFactory(
            opens_at=now - 9 * day,
            closes_at=now - day,
            analysis_started_at=now,
            outcome_published_at=now,
        ),
    }


def test_status_filter_agrees_with_the_derived_status(one_of_each: dict) -> None:
    for status in selectors.PUBLIC_STATUSES:
        found = list(selectors.consultation_list(status=status))
        assert found == [one_of_each[status]], status
        assert all(c.status == status for c in found)


def test_drafts_are_never_listed(one_of_each: dict) -> None:
    listed = set(selectors.consultation_list())
    assert one_of_each[ConsultationStatus.DRAFT] not in listed
    assert len(listed) == 5


def test_department_filter(db: None) -> None:
    home_office = DepartmentFactory(slug="home-office", name="Home Office")
    ours = ConsultationFactory(department=home_office)
    ConsultationFactory()
    assert list(selectors.consultation_list(department=home_office)) == [ours]


def test_relations_read_in_words_from_both_ends(db: None) -> None:
    old = DocumentFactory(title="Safeguarding Children Involved in Prostitution")
    parent = DocumentFactory(title="Working Together to Safeguard Children")
    draft = DocumentFactory(title="Draft guidance", kind="draft_guidance")
    final = DocumentFactory(title="Final guidance", kind="final_guidance")
    DocumentRelation.objects.create(subject=draft, kind=RelationKind.REPLACES, object=old)
    DocumentRelation.objects.create(subject=draft, kind=RelationKind.SUPPLEMENTS, object=parent)
    DocumentRelation.objects.create(subject=final, kind=RelationKind.FINAL_VERSION_OF, object=draft)

    words = [
        (r.label, r.document.title)
        for r in selectors.document_relations(document=selectors.document_for_page(slug=draft.slug))
    ]
    assert words == [
        ("has the final version", "Final guidance"),
        ("replaces", "Safeguarding Children Involved in Prostitution"),
        ("supplements", "Working Together to Safeguard Children"),
    ]
    old_words = selectors.document_relations(document=selectors.document_for_page(slug=old.slug))
    assert [(r.label, r.document.title) for r in old_words] == [
        ("is replaced by", "Draft guidance")
    ]


def test_list_runs_in_constant_queries(db: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        ConsultationFactory()
    with django_assert_num_queries(1):
        assert [c.department.name for c in selectors.consultation_list()]
