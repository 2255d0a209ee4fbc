"""Staff roles confine each member of staff to their work, and access to responses is logged."""

from __future__ import annotations

import pytest
from django.test import Client

from moot.consultations.models import Consultation
from moot.core.models import AuditAction, AuditEvent
from moot.core.permissions import ANALYSTS, EDITORS
from tests.consultations.test_staff import record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client: Client, consultation: Consultation, roles: tuple[str, ...]) -> Client:
    client.force_login(UserFactory(department=consultation.department, roles=roles))
    return client


def test_an_editor_manages_the_consultation_but_cannot_see_responses(
    client: Client, consultation: Consultation
) -> None:
    response = record(consultation)
    signed_in(client, consultation, (EDITORS,))
    base = f"/staff/consultations/{consultation.slug}/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}outcome/").status_code == 200
    for url in [
        f"{base}responses/",
        f"{base}responses/export.csv",
        f"{base}responses/{response.pk}/",
        f"{base}postal-response/",
        f"{base}summary/",
    ]:
        assert client.get(url).status_code == 403, url


def test_an_analyst_sees_responses_but_cannot_change_the_consultation(
    client: Client, consultation: Consultation
) -> None:
    response = record(consultation)
    signed_in(client, consultation, (ANALYSTS,))
    base = f"/staff/consultations/{consultation.slug}/"
    assert client.get(f"{base}responses/").status_code == 200
    assert client.get(f"{base}responses/{response.pk}/").status_code == 200
    assert client.get(f"{base}summary/").status_code == 200
    assert client.get(f"{base}outcome/").status_code == 403
    assert client.post(f"{base}status/start-analysis/").status_code == 403


def test_staff_without_a_role_see_nothing(client: Client, consultation: Consultation) -> None:
    signed_in(client, consultation, ())
    base = f"/staff/consultations/{consultation.slug}/"
    assert client.get(base).status_code == 403
    assert consultation.title not in client.get("/staff/consultations/").content.decode()


def test_viewing_and_exporting_responses_is_audited(
    client: Client, consultation: Consultation
) -> None:
    response = record(consultation)
    signed_in(client, consultation, (ANALYSTS,))
    base = f"/staff/consultations/{consultation.slug}/"
    client.get(f"{base}responses/")
    client.get(f"{base}responses/{response.pk}/")
    client.get(f"{base}responses/export.csv?channel=email")
    events = list(AuditEvent.objects.order_by("id"))
    assert [event.action for event in events] == [
        AuditAction.VIEW_RESPONSES,
        AuditAction.VIEW_RESPONSE,
        AuditAction.EXPORT_RESPONSES,
    ]
    assert all(event.record_ids == [response.pk] for event in events[:2])
    assert events[2].detail == {"format": "csv", "query": "channel=email"}
    assert all(event.consultation_slug == consultation.slug for event in events)
    assert "192.0.2" not in events[0].client_hash


def test_only_administrators_read_the_audit_log(client: Client, consultation: Consultation) -> None:
    record(consultation)
    client.force_login(UserFactory(department=consultation.department))
    assert client.get("/admin/core/auditevent/").status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/admin/core/auditevent/").status_code == 200
