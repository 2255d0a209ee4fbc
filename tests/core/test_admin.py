import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from moot.consultations.models import Attachment
from tests.factories import ConsultationFactory, UserFactory
from tests.samples import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: Client) -> Client:
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_every_moot_model_is_in_the_admin_with_working_pages(
    superuser_client: Client, demo: None
) -> None:
    for model in apps.get_models():
        if not model.__module__.startswith("moot."):
            continue
        # Scheduler state and hashed recovery codes are not for editing by hand.
        if model._meta.label in {"core.PeriodicJobState", "core.RecoveryCode"}:
            continue
        assert admin.site.is_registered(model), model
        info = (model._meta.app_label, model._meta.model_name)
        changelist = superuser_client.get(
            reverse("admin:{}_{}_changelist".format(*info)), {"q": "a"}
        )
        assert changelist.status_code == 200, model
        instance = model.objects.first()
        if instance is not None:
            change = superuser_client.get(
                reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
            )
            assert change.status_code == 200, model


def test_staff_upload_an_attachment_through_the_admin(superuser_client: Client) -> None:
    consultation = ConsultationFactory()
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    page = superuser_client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name in form.fields if (value := form.initial.get(name)) is not None}
    data.update(
        {
            "opens_at_0": consultation.opens_at.strftime("%d/%m/%Y"),
            "opens_at_1": "09:00:00",
            "closes_at_0": consultation.closes_at.strftime("%d/%m/%Y"),
            "closes_at_1": "09:00:00",
            "published_at_0": consultation.published_at.strftime("%d/%m/%Y"),
            "published_at_1": "09:00:00",
            "analysis_started_at_0": "",
            "analysis_started_at_1": "",
            "outcome_published_at_0": "",
            "outcome_published_at_1": "",
            "department": consultation.department_id,
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "respondent_roles-TOTAL_FORMS": "0",
            "respondent_roles-INITIAL_FORMS": "0",
            "attachments-0-title": "Response form",
            "attachments-0-role": "response_form",
            "attachments-0-position": "1",
        }
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["attachments-0-upload"] = SimpleUploadedFile("form.doc", make_pdf("Response form"))
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Attachment.objects.get(consultation=consultation)
    assert attachment.content_type == "application/pdf"  # from the content, not the .doc name
    assert attachment.role == "response_form"
