"""Every admin of department-owned data is confined to the user's department, walked
through ``admin.site._registry`` so that a newly registered admin is walked too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    CampaignName,
    EvidenceRow,
    RunStatus,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.consultations.admin_scoping import DepartmentScopedAdmin, PersonalDataAdmin
from moot.consultations.models import (
    Answer,
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
    DocumentRelation,
    DocumentVersion,
    PublishedText,
    Question,
    QuestionOption,
    Redaction,
    RespondentRole,
    Response,
    ResponseAttachment,
    ResponsePublication,
    ResponseSummary,
    TextModeration,
)
from moot.consultations.selectors.access import record_departments
from moot.consultations.services import attachment_create
from moot.consultations.services.responses import AnswerValue, response_attachment_add
from moot.core.models import AuditAction, AuditEvent, Department
from moot.core.permissions import ANALYSTS, EDITORS, Capability
from moot.policy.models import ShortName
from tests.consultations.conftest import build_questionnaire
from tests.consultations.test_staff import record
from tests.factories import ConsultationFactory, DepartmentFactory, DocumentFactory, UserFactory
from tests.samples import make_pdf

pytestmark = pytest.mark.django_db

ROLE_CAPABILITIES = {
    EDITORS: {Capability.CONTENT},
    ANALYSTS: {Capability.RESPONSES, Capability.ANALYSIS},
}


@dataclass
class World:
    """One department's consultation with one record of every department-owned model."""

    department: Department
    consultation: Consultation
    records: dict[type[Model], Model]


def build_world(department: Department) -> World:
    consultation = ConsultationFactory(department=department)
    questions = build_questionnaire(consultation)
    document = DocumentFactory(department=department, consultation=consultation)
    earlier = DocumentFactory(department=department)
    version = DocumentVersion.objects.create(
        document=document, number=1, published_on=dt.date(2026, 1, 1)
    )
    response = record(consultation, answers={"q4": AnswerValue(text="Please say more.")})
    run = AnalysisRun.objects.create(
        consultation=consultation,
        number=1,
        status=RunStatus.FAILED,
        error_message="Stopped",
        finished_at=timezone.now(),
    )
    records: list[Model] = [
        consultation,
        ConsultationSection.objects.filter(consultation=consultation).first(),
        document,
        version,
        DocumentRelation.objects.create(subject=document, kind="replaces", object=earlier),
        attachment_create(
            title="The proposals", data=make_pdf("Proposals"), consultation=consultation
        ),
        questions["q2"],
        QuestionOption.objects.filter(question=questions["q2"]).first(),
        RespondentRole.objects.filter(consultation=consultation).first(),
        response,
        response.answers.get(),
        response_attachment_add(
            response=response, filename="letter.pdf", data=make_pdf("Dear Sir")
        ),
        ResponseSummary.objects.create(consultation=consultation, body="Most agreed."),
        run,
        AnalystChange.objects.create(
            consultation=consultation, kind="rename", description="Renamed", made_by_name="ann"
        ),
        CampaignMembership.objects.create(
            run=run,
            response=response,
            campaign_key="c1",
            similarity=1,
            overlap=1,
            is_exact_copy=True,
        ),
        ThemeAssignmentRow.objects.create(
            run=run,
            response=response,
            question_ref="q4",
            theme_key="t1",
            confidence=1,
            source="engine",
        ),
        StanceRow.objects.create(
            run=run,
            response=response,
            question_ref="q4",
            stance="agree",
            confidence=1,
            source="engine",
        ),
        CampaignName.objects.create(
            consultation=consultation, campaign_key="c1", name="Save us", named_by_name="ann"
        ),
        ShortName.objects.create(name="The example guidance", document=document),
        publication := ResponsePublication.objects.create(
            response=response, published_as="Anonymous", published_at=timezone.now()
        ),
        moderation := TextModeration.objects.create(
            response=response, answer=response.answers.get()
        ),
        Redaction.objects.create(
            moderation=moderation, start=0, end=6, digest="0" * 64, reason="personal_data"
        ),
        PublishedText.objects.create(publication=publication, text="[redacted: personal data]"),
        EvidenceRow.objects.create(
            run=run,
            response=response,
            question_ref="q4",
            kinds="figures",
            confidence=1,
            source="engine",
        ),
    ]
    assert all(r is not None for r in records)
    return World(department, consultation, {type(r): r for r in records})


def url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(page: Any) -> set[int]:
    return {row.pk for row in page.context["cl"].result_list}


def values(record: Model) -> dict[str, object]:
    fresh = type(record)._default_manager.get(pk=record.pk)
    return {f.attname: getattr(fresh, f.attname) for f in record._meta.concrete_fields}


def owned_by(choice: Model, department: Department) -> bool:
    if isinstance(choice, Department):
        return choice.pk == department.pk
    model_admin = admin.site._registry.get(type(choice))
    if not isinstance(model_admin, DepartmentScopedAdmin):
        return False
    paths = model_admin.department_paths
    return department.pk in record_departments(record=choice, department_paths=paths)


def choice_fields(page: Any) -> list[ModelChoiceField]:
    """Every relation a page's form and inline forms offer (not an inline form's own hidden
    id, which the formset looks up among the parent's rows only)."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms.extend([inline.formset.empty_form, *inline.formset.forms])
    return [
        field
        for form in forms
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField) and name != form._meta.model._meta.pk.name
    ]


def scoped_admins() -> list[tuple[type[Model], DepartmentScopedAdmin]]:
    return [(m, a) for m, a in admin.site._registry.items() if isinstance(a, DepartmentScopedAdmin)]


@pytest.mark.parametrize("role", [EDITORS, ANALYSTS, None])
def test_another_departments_staff_are_refused_in_every_admin(
    client: Client, role: str | None
) -> None:
    theirs = build_world(DepartmentFactory())
    mine = build_world(DepartmentFactory())
    roles = (EDITORS, ANALYSTS) if role is None else (role,)
    user = UserFactory(department=mine.department, roles=roles)
    client.force_login(user)
    refusals_before = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).count()
    walked = []
    for model, model_admin in admin.site._registry.items():
        changelist = client.get(url(model, "changelist"))
        if not isinstance(model_admin, DepartmentScopedAdmin):
            # Not scoped, so no role may reach it: only administrators use it.
            assert changelist.status_code == 403, f"{model} is reachable and not scoped"
            assert client.get(url(model, "add")).status_code == 403, model
            continue
        assert model in theirs.records, f"build_world must make a {model.__name__}"
        target = theirs.records[model]
        if changelist.status_code == 200:
            assert target.pk not in listed(changelist), model
            assert mine.records[model].pk in listed(changelist), model
        else:
            assert changelist.status_code == 403, model
        before = values(target)
        for view in ["change", "delete", "history"]:
            assert client.get(url(model, view, target.pk)).status_code == 403, (model, view)
        changed = {"title": "Changed", "body": "Changed", "label": "Changed", "text": "Changed"}
        assert client.post(url(model, "change", target.pk), changed).status_code == 403, model
        assert client.post(url(model, "delete", target.pk), {"post": "yes"}).status_code == 403
        assert values(target) == before, model
        add = client.get(url(model, "add"))
        if add.status_code == 200:
            offered = [c for field in choice_fields(add) for c in field.queryset]
            assert offered, model
            assert not [c for c in offered if owned_by(c, theirs.department)], model
        else:
            assert add.status_code == 403, model
        walked.append(model)
    assert set(walked) == set(theirs.records)
    refusals = AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, user=user)
    # Every refused record view (change, delete and history; the two POSTs) is in the log.
    assert refusals.count() - refusals_before >= 5 * len(walked)
    consultation_refusals = refusals.filter(
        detail__route="admin:consultations_consultation_change"
    ).first()
    assert consultation_refusals is not None
    assert consultation_refusals.record_ids == [theirs.consultation.pk]
    assert consultation_refusals.consultation_slug == theirs.consultation.slug


@pytest.mark.parametrize("role", [EDITORS, ANALYSTS])
def test_own_departments_staff_work_on_their_records_in_the_admin(
    client: Client, role: str
) -> None:
    world = build_world(DepartmentFactory())
    client.force_login(UserFactory(department=world.department, roles=(role,)))
    walked = []
    for model, model_admin in scoped_admins():
        if model_admin.capability not in ROLE_CAPABILITIES[role]:
            continue
        changelist = client.get(url(model, "changelist"))
        if changelist.status_code == 403:
            # The role's groups do not hold this model's admin permissions at all.
            continue
        target = world.records[model]
        assert target.pk in listed(changelist), model
        change = client.get(url(model, "change", target.pk))
        assert change.status_code == 200, model
        # Content is edited by editors, the summary by analysts; the rest is read-only.
        editable = model_admin.capability == Capability.CONTENT or model is ResponseSummary
        assert not (editable and isinstance(model_admin, PersonalDataAdmin))
        assert ('name="_save"' in change.content.decode()) is editable, model
        walked.append(model)
    expected = {
        EDITORS: {
            Consultation,
            ConsultationSection,
            Document,
            DocumentVersion,
            DocumentRelation,
            Attachment,
            Question,
            QuestionOption,
            RespondentRole,
        },
        ANALYSTS: {Response, Answer, ResponseAttachment, ResponseSummary},
    }[role]
    assert expected <= set(walked)


def consultation_form(
    consultation: Consultation | None, department: Department
) -> dict[str, object]:
    now = timezone.now()
    data: dict[str, object] = {
        "title": "Renamed consultation" if consultation else "A new consultation",
        "slug": consultation.slug if consultation else "a-new-consultation",
        "department": department.pk,
        "summary": "Why.",
        "opens_at_0": (now - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "opens_at_1": "09:00:00",
        "closes_at_0": (now + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        "closes_at_1": "09:00:00",
        "published_at_0": (now - dt.timedelta(days=2)).strftime("%d/%m/%Y"),
        "published_at_1": "09:00:00",
        "response_email": "responses@example.org",
        "respond_online": "on",
        "personal_data_retention_days": 365,
    }
    for prefix in ["sections", "attachments", "questions", "respondent_roles"]:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


ADD_FORMS: dict[type[Model], Any] = {
    ConsultationSection: lambda w: {
        "consultation": w.consultation.pk,
        "position": 9,
        "kind": "other",
        "heading": "Added",
        "body": "Text",
    },
    Document: lambda w: {
        "title": "Added",
        "slug": f"added-{w.department.pk}",
        "kind": "guidance",
        "department": w.department.pk,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "outgoing_relations-TOTAL_FORMS": "0",
        "outgoing_relations-INITIAL_FORMS": "0",
    },
    DocumentVersion: lambda w: {
        "document": w.records[Document].pk,
        "number": 2,
        "published_on": "01/02/2026",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    },
    DocumentRelation: lambda w: {
        "subject": w.records[DocumentRelation].object_id,  # type: ignore[attr-defined]
        "kind": "supplements",
        "object": w.records[Document].pk,
    },
    Question: lambda w: {
        "consultation": w.consultation.pk,
        "position": 9,
        "key": "q9",
        "kind": "free_text",
        "text": "Added?",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
    },
    QuestionOption: lambda w: {"question": w.records[Question].pk, "position": 9, "label": "Added"},
    RespondentRole: lambda w: {"consultation": w.consultation.pk, "position": 9, "label": "Added"},
    ShortName: lambda w: {"name": "Added short name", "document": w.records[Document].pk},
}


def test_an_editor_adds_in_their_own_department_only(client: Client) -> None:
    theirs = build_world(DepartmentFactory())
    mine = build_world(DepartmentFactory())
    client.force_login(UserFactory(department=mine.department, roles=(EDITORS,)))
    addable = {
        model
        for model, model_admin in scoped_admins()
        if model_admin.capability == Capability.CONTENT
        and client.get(url(model, "add")).status_code == 200
    }
    assert addable - {Consultation} == set(ADD_FORMS), (
        "every admin an editor adds with needs a form here"
    )
    # A published consultation of another department is refused; one of their own is added.
    count = Consultation.objects.count()
    refused = client.post(url(Consultation, "add"), consultation_form(None, theirs.department))
    assert refused.status_code == 200
    assert "department" in refused.context["adminform"].form.errors
    assert Consultation.objects.count() == count
    added = client.post(url(Consultation, "add"), consultation_form(None, mine.department))
    assert added.status_code == 302, added.content.decode()[:3000]
    assert Consultation.objects.get(slug="a-new-consultation").department == mine.department
    for model, form in ADD_FORMS.items():
        count = model._default_manager.count()
        refused = client.post(url(model, "add"), form(theirs))
        assert refused.status_code == 200, model
        assert refused.context["adminform"].form.errors, model
        assert model._default_manager.count() == count, model
        accepted = client.post(url(model, "add"), form(mine))
        assert accepted.status_code == 302, (model, accepted.content.decode()[:3000])
        assert model._default_manager.count() == count + 1, model


def test_an_editor_changes_and_deletes_their_own_departments_content(client: Client) -> None:
    mine = build_world(DepartmentFactory())
    client.force_login(UserFactory(department=mine.department, roles=(EDITORS,)))
    consultation = mine.consultation
    saved = client.post(
        url(Consultation, "change", consultation.pk),
        consultation_form(consultation, mine.department),
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    consultation.refresh_from_db()
    assert consultation.title == "Renamed consultation"
    section = mine.records[ConsultationSection]
    deleted = client.post(url(ConsultationSection, "delete", section.pk), {"post": "yes"})
    assert deleted.status_code == 302
    assert not ConsultationSection.objects.filter(pk=section.pk).exists()


def test_autocomplete_offers_only_the_users_department(client: Client) -> None:
    theirs = build_world(DepartmentFactory())
    mine = build_world(DepartmentFactory())
    client.force_login(UserFactory(department=mine.department, roles=(EDITORS,)))
    walked = 0
    for model, model_admin in scoped_admins():
        sources = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for source in sources:
            for field_name in source.autocomplete_fields:
                remote = source.model._meta.get_field(field_name).related_model
                found = client.get(
                    "/admin/autocomplete/",
                    {
                        "app_label": source.model._meta.app_label,
                        "model_name": source.model._meta.model_name,
                        "field_name": field_name,
                        "term": "",
                    },
                )
                assert found.status_code == 200, (source, field_name)
                ids = {int(result["id"]) for result in found.json()["results"]}
                assert mine.records[remote].pk in ids, (source, field_name)
                assert theirs.records[remote].pk not in ids, (source, field_name)
                walked += 1
    assert walked >= 5


def test_raw_id_lookups_list_only_the_users_department(client: Client) -> None:
    theirs = build_world(DepartmentFactory())
    mine = build_world(DepartmentFactory())
    client.force_login(UserFactory(department=mine.department, roles=(ANALYSTS,)))
    page = client.get(url(Response, "changelist"), {"_popup": "1", "_to_field": "id"})
    assert listed(page) == {mine.records[Response].pk}
    assert theirs.records[Response].pk not in listed(page)


def test_staff_without_a_department_see_nothing_in_the_admin(client: Client) -> None:
    build_world(DepartmentFactory())
    client.force_login(UserFactory(department=None))
    for model, _ in scoped_admins():
        assert client.get(url(model, "changelist")).status_code == 403, model


def test_administrators_still_see_every_department(client: Client) -> None:
    first = build_world(DepartmentFactory())
    second = build_world(DepartmentFactory())
    client.force_login(UserFactory(is_superuser=True))
    for model, _ in scoped_admins():
        page = client.get(url(model, "changelist"))
        assert {first.records[model].pk, second.records[model].pk} <= listed(page), model
