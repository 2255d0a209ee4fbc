"""Responses in the admin: read-only but for the services' own actions, and every look at
them — lists with their search, a record, a file — in the audit log, as are refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from moot.consultations.models import (
    Answer,
    Channel,
    Consultation,
    Response,
    ResponseAttachment,
    ResponseStatus,
)
from moot.consultations.services.responses import AnswerValue, response_attachment_add
from moot.core.models import AuditAction, AuditEvent, User
from moot.core.permissions import ANALYSTS
from tests.consultations.test_staff import record
from tests.factories import DepartmentFactory, UserFactory
from tests.samples import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(consultation: Consultation) -> User:
    return UserFactory(department=consultation.department, roles=(ANALYSTS,))


@pytest.fixture
def online(consultation: Consultation) -> Response:
    return record(
        consultation, channel=Channel.ONLINE, answers={"q4": AnswerValue(text="Say more.")}
    )


def fields_of(response: Response) -> dict[str, object]:
    fresh = Response.objects.get(pk=response.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Response._meta.concrete_fields}


@pytest.mark.parametrize("superuser", [False, True])
def test_a_response_cannot_be_changed_or_deleted_in_the_admin(
    client: Client, online: Response, analyst: User, superuser: bool
) -> None:
    client.force_login(UserFactory(is_superuser=True) if superuser else analyst)
    before = fields_of(online)
    change = reverse("admin:consultations_response_change", args=[online.pk])
    page = client.get(change)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="_save"' not in content
    assert 'name="respondent_email"' not in content
    assert str(online.submission_token) not in content  # the draft's secret is never shown
    posted = client.post(
        change,
        {
            "respondent_name": "Someone Else",
            "respondent_email": "else@example.org",
            "status": ResponseStatus.WITHDRAWN,
            "publication_consent": "anonymous",
        },
    )
    assert posted.status_code == 403
    delete = reverse("admin:consultations_response_delete", args=[online.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    answer = online.answers.get()
    answer_change = reverse("admin:consultations_answer_change", args=[answer.pk])
    assert client.post(answer_change, {"text": "Rewritten"}).status_code == 403
    assert fields_of(online) == before
    assert Answer.objects.get(pk=answer.pk).text == "Say more."
    assert client.get(reverse("admin:consultations_response_add")).status_code == 403


def test_responses_are_withdrawn_in_the_admin_through_the_service_and_audited(
    client: Client, online: Response, analyst: User
) -> None:
    client.force_login(analyst)
    changelist = reverse("admin:consultations_response_changelist")
    client.post(changelist, {"action": "accept_late", "_selected_action": [online.pk]})
    online.refresh_from_db()
    # Only a late response is accepted as late: the service's rule holds in the admin.
    assert online.status == ResponseStatus.SUBMITTED
    assert online.late_accepted_at is None
    done = client.post(changelist, {"action": "withdraw", "_selected_action": [online.pk]})
    assert done.status_code == 302
    online.refresh_from_db()
    assert online.status == ResponseStatus.WITHDRAWN
    assert online.withdrawn_at is not None
    event = AuditEvent.objects.get(action=AuditAction.EDIT_RESPONSE)
    assert event.user == analyst
    assert event.record_ids == [online.pk]
    assert event.consultation_slug == online.consultation.slug
    assert event.detail["change"] == "withdraw"
    assert event.detail["route"] == "admin"


def test_another_departments_responses_cannot_be_withdrawn_from_the_admin(
    client: Client, online: Response
) -> None:
    client.force_login(UserFactory(department=DepartmentFactory(), roles=(ANALYSTS,)))
    changelist = reverse("admin:consultations_response_changelist")
    client.post(changelist, {"action": "withdraw", "_selected_action": [online.pk]})
    online.refresh_from_db()
    assert online.status == ResponseStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action=AuditAction.EDIT_RESPONSE).exists()


def test_searching_and_viewing_responses_in_the_admin_is_audited(
    client: Client, online: Response, analyst: User
) -> None:
    other = record(online.consultation, name="Bob Jones")
    client.force_login(analyst)
    listing = client.get(reverse("admin:consultations_response_changelist"), {"q": "jane"})
    assert online.reference in listing.content.decode()
    assert other.reference not in listing.content.decode()
    client.get(reverse("admin:consultations_response_change", args=[online.pk]))
    answer = online.answers.get()
    client.get(reverse("admin:consultations_answer_changelist"), {"q": "more"})
    client.get(reverse("admin:consultations_answer_change", args=[answer.pk]))
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.detail["model"]) for e in events] == [
        (AuditAction.VIEW_RESPONSES, "consultations.response"),
        (AuditAction.VIEW_RESPONSE, "consultations.response"),
        (AuditAction.VIEW_RESPONSES, "consultations.answer"),
        (AuditAction.VIEW_RESPONSE, "consultations.answer"),
    ]
    assert all(e.user == analyst and e.record_ids == [online.pk] for e in events)
    assert all(e.consultation_slug == online.consultation.slug for e in events)
    assert events[0].detail["search"] == "jane"
    assert events[2].detail["search"] == "more"
    assert events[3].detail["objects"] == [answer.pk]


def test_a_response_file_is_downloaded_from_the_admin_only_through_an_audited_view(
    client: Client, online: Response, analyst: User, settings: pytest.FixtureRequest
) -> None:
    data = make_pdf("Dear Sir, my letter.")
    attachment = response_attachment_add(response=online, filename="letter.pdf", data=data)
    client.force_login(analyst)
    page = client.get(
        reverse("admin:consultations_responseattachment_change", args=[attachment.pk])
    ).content.decode()
    assert attachment.file.url not in page  # never a link into storage
    download_url = reverse("admin:consultations_responseattachment_download", args=[attachment.pk])
    assert download_url in page
    download = client.get(download_url)
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]
    assert "no-store" in download["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD_RESPONSE_FILE)
    assert (event.user, event.record_ids) == (analyst, [online.pk])
    assert event.detail["file"] == "letter.pdf"
    assert event.detail["route"] == "admin"
    # Another department's analyst is refused the file, and the refusal is in the log.
    stranger = UserFactory(department=DepartmentFactory(), roles=(ANALYSTS,))
    client.force_login(stranger)
    assert client.get(download_url).status_code == 403
    refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert (refusal.user, refusal.record_ids) == (stranger, [online.pk])
    assert refusal.consultation_slug == online.consultation.slug
    assert refusal.detail["route"] == "admin:consultations_responseattachment_download"
    assert refusal.detail["outcome"] == "refused"
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_RESPONSE_FILE).count() == 1
    assert ResponseAttachment.objects.filter(pk=attachment.pk).exists()


def test_refused_admin_access_to_responses_is_audited(
    client: Client, online: Response, analyst: User
) -> None:
    stranger = UserFactory(department=DepartmentFactory(), roles=(ANALYSTS,))
    client.force_login(stranger)
    change = reverse("admin:consultations_response_change", args=[online.pk])
    assert client.get(change).status_code == 403
    listing = client.get(reverse("admin:consultations_response_changelist"), {"q": "jane"})
    assert online.reference not in listing.content.decode()
    refusal = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert refusal.user == stranger
    assert refusal.record_ids == [online.pk]
    assert refusal.consultation_slug == online.consultation.slug
    assert refusal.detail["route"] == "admin:consultations_response_change"
    assert refusal.detail["capability"] == "responses"
    # Their own department's analyst trying to change it is refused, and that is logged too.
    client.force_login(analyst)
    assert client.post(change, {"respondent_name": "X"}).status_code == 403
    own = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, user=analyst).get()
    assert own.record_ids == [online.pk]
    assert own.detail["method"] == "POST"
