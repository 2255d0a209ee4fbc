"""Every route to personal data writes a refusal to the audit log when it says no, and
records the access when it says yes."""

from __future__ import annotations

import pytest
from django.test import Client

from moot.consultations.models import Consultation
from moot.consultations.services.responses import response_attachment_add
from moot.core.models import AuditAction, AuditEvent
from moot.core.permissions import ANALYSTS, EDITORS
from tests.consultations.test_staff import record
from tests.factories import DepartmentFactory, UserFactory
from tests.samples import make_pdf

pytestmark = pytest.mark.django_db


def test_every_refused_staff_route_is_audited(client: Client, consultation: Consultation) -> None:
    response = record(consultation)
    attachment = response_attachment_add(response=response, filename="a.pdf", data=make_pdf())
    base = f"/staff/consultations/{consultation.slug}/"
    urls = [
        f"{base}responses/",
        f"{base}responses/export.csv",
        f"{base}responses/{response.pk}/",
        f"{base}responses/{response.pk}/files/{attachment.pk}/",
        f"{base}analysis/",
    ]
    stranger = UserFactory(department=DepartmentFactory(), roles=(EDITORS, ANALYSTS))
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 403, url
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.detail["path"] for e in events] == urls
    assert all(e.action == AuditAction.ACCESS_REFUSED for e in events)
    assert all(e.user == stranger for e in events)
    assert all(e.consultation_slug == consultation.slug for e in events)
    assert all(e.detail["outcome"] == "refused" for e in events)
    assert events[2].record_ids == [response.pk]
    assert events[3].record_ids == [response.pk]


def test_an_editor_refused_the_responses_of_their_own_department_is_audited(
    client: Client, consultation: Consultation
) -> None:
    response = record(consultation)
    editor = UserFactory(department=consultation.department, roles=(EDITORS,))
    client.force_login(editor)
    url = f"/staff/consultations/{consultation.slug}/responses/{response.pk}/"
    assert client.get(url).status_code == 403
    refusal = AuditEvent.objects.get()
    assert refusal.action == AuditAction.ACCESS_REFUSED
    assert refusal.user == editor
    assert refusal.record_ids == [response.pk]
    assert refusal.detail["capability"] == "responses"
    assert refusal.detail["route"] == "consultations:staff_response"
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_RESPONSE).exists()


def test_a_staff_file_download_is_audited(client: Client, consultation: Consultation) -> None:
    response = record(consultation)
    attachment = response_attachment_add(response=response, filename="a.pdf", data=make_pdf())
    analyst = UserFactory(department=consultation.department, roles=(ANALYSTS,))
    client.force_login(analyst)
    base = f"/staff/consultations/{consultation.slug}/"
    assert client.get(f"{base}responses/{response.pk}/files/{attachment.pk}/").status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.record_ids) == (
        AuditAction.DOWNLOAD_RESPONSE_FILE,
        analyst,
        [response.pk],
    )


def test_anonymous_visitors_fill_no_audit_log(client: Client, consultation: Consultation) -> None:
    response = record(consultation)
    assert client.get("/admin/consultations/response/").status_code == 302
    base = f"/staff/consultations/{consultation.slug}/"
    assert client.get(f"{base}responses/{response.pk}/").status_code == 302
    assert not AuditEvent.objects.exists()
