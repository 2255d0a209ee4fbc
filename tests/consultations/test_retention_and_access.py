"""Retention of personal data, and the access selectors every staff page goes through."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from moot.consultations.models import Channel, Consultation, Response, ResponseAttachment
from moot.consultations.selectors.access import (
    consultations_visible_to,
    responses_visible_to,
    staff_can_access,
)
from moot.consultations.services.responses import (
    RespondentDetails,
    response_attachment_add,
    response_draft_start,
    response_record,
)
from moot.consultations.services.retention import responses_purge_personal_data
from moot.core.background import registered_jobs
from moot.core.models import User
from tests.consultations.conftest import closed
from tests.factories import ConsultationFactory, UserFactory
from tests.samples import make_pdf

pytestmark = pytest.mark.django_db


def _letter(consultation: Consultation) -> Response:
    response, _ = response_record(
        consultation=consultation,
        channel=Channel.POST,
        received_at=consultation.closes_at - dt.timedelta(days=1),
        respondent=RespondentDetails(
            name="Jane Smith",
            email="jane@example.org",
            respondent_type="organisation",
            organisation_name="Harbour Trust",
            wants_confidentiality=True,
            confidentiality_reason="I work for the council",
        ),
        body_text="The answer itself.",
    )
    response_attachment_add(
        response=response, filename="scan.pdf", data=make_pdf("Jane Smith, 1 High St"), kind="scan"
    )
    return response


def test_personal_data_is_removed_after_the_retention_period_and_answers_stay(
    consultation: Consultation, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    closed(consultation, days_ago=10)
    consultation.personal_data_retention_days = 30
    consultation.save()
    letter = _letter(consultation)
    scan = ResponseAttachment.objects.get(response=letter)
    path = scan.file.path

    early = responses_purge_personal_data()
    assert early.responses_purged == 0
    with django_capture_on_commit_callbacks(execute=True):
        report = responses_purge_personal_data(now=timezone.now() + dt.timedelta(days=21))
    assert report.responses_purged == 1
    assert report.files_deleted == 1
    letter.refresh_from_db()
    assert letter.respondent_name == ""
    assert letter.respondent_email == ""
    assert letter.confidentiality_reason == ""
    assert letter.personal_data_purged_at is not None
    assert letter.body_text == "The answer itself."
    assert letter.organisation_name == "Harbour Trust"
    assert letter.wants_confidentiality is True  # still honoured when publishing
    scan.refresh_from_db()
    assert not scan.file
    assert not Path(path).exists()
    again = responses_purge_personal_data(now=timezone.now() + dt.timedelta(days=22))
    assert again.responses_purged == 0


def test_drafts_are_deleted_once_the_consultation_closes(consultation: Consultation) -> None:
    draft = response_draft_start(consultation=consultation)
    assert responses_purge_personal_data().drafts_deleted == 0
    closed(consultation)
    assert responses_purge_personal_data().drafts_deleted == 1
    assert not Response.objects.filter(pk=draft.pk).exists()


def test_purge_command_and_periodic_job(consultation: Consultation) -> None:
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Removed personal data from 0 responses" in out.getvalue()
    job = next(j for j in registered_jobs() if j.name == "consultations.purge-personal-data")
    assert job.scope == "cluster"
    assert job.run is responses_purge_personal_data


def test_staff_see_their_own_department_only(
    consultation: Consultation, other_staff: User, staff: User
) -> None:
    mine = _letter(consultation)
    theirs_consultation = ConsultationFactory(department=other_staff.department)
    theirs = _letter(theirs_consultation)
    superuser = UserFactory(is_superuser=True)
    assert list(consultations_visible_to(user=staff)) == [consultation]
    assert list(responses_visible_to(user=staff)) == [mine]
    assert list(responses_visible_to(user=other_staff)) == [theirs]
    assert set(responses_visible_to(user=superuser)) == {mine, theirs}
    assert staff_can_access(user=staff, consultation=consultation)
    assert not staff_can_access(user=staff, consultation=theirs_consultation)


@pytest.mark.parametrize(
    "user_kwargs",
    [
        {"is_staff": False},
        {"is_active": False},
        {"department": None},
    ],
)
def test_who_sees_nothing(consultation: Consultation, user_kwargs: dict[str, object]) -> None:
    _letter(consultation)
    kwargs: dict[str, object] = {"department": consultation.department, **user_kwargs}
    user = UserFactory(**kwargs)
    assert not consultations_visible_to(user=user).exists()
    assert not responses_visible_to(user=user).exists()
    assert not staff_can_access(user=user, consultation=consultation)


def test_anonymous_sees_nothing(consultation: Consultation) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not consultations_visible_to(user=AnonymousUser()).exists()


def test_the_admin_is_limited_to_the_department_too(
    client, consultation: Consultation, other_staff: User
) -> None:  # type: ignore[no-untyped-def]
    other_staff.is_superuser = False
    other_staff.save()
    from django.contrib.auth.models import Permission

    other_staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="consultations")
    )
    letter = _letter(consultation)
    client.force_login(other_staff)
    assert client.get(
        f"/admin/consultations/consultation/{consultation.pk}/change/"
    ).status_code in {302, 403, 404}
    listing = client.get("/admin/consultations/response/")
    assert letter.reference not in listing.content.decode()


def test_names_are_not_put_back_after_the_purge(consultation: Consultation) -> None:
    from moot.consultations.services.responses import response_details_update
    from moot.consultations.services.retention import consultation_purge_personal_data

    letter = _letter(consultation)
    consultation_purge_personal_data(consultation=consultation)
    letter.refresh_from_db()
    response_details_update(
        response=letter,
        by=UserFactory(),
        respondent=RespondentDetails(name="Jane Smith", email="jane@example.org", region="wales"),
        answers={},
    )
    letter.refresh_from_db()
    assert letter.respondent_name == ""
    assert letter.respondent_email == ""
    assert letter.region == "wales"


def test_staff_build_an_agree_scale_question_in_the_admin(
    client, consultation: Consultation
) -> None:  # type: ignore[no-untyped-def]
    from moot.consultations.models import Question

    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        "/admin/consultations/question/add/",
        {
            "consultation": consultation.pk,
            "position": 9,
            "key": "q9",
            "kind": "agree_scale",
            "text": "Do you agree with chapter 3?",
            "hint": "",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(key="q9")
    assert [o.label for o in question.options.order_by("position")] == [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ]
