from django.urls import path

from moot.consultations.views import public, respond, staff, staff_moderation, staff_routing

app_name = "consultations"

urlpatterns = [
    path("consultations/", public.consultation_list, name="list"),
    path("consultations/<slug:slug>/", public.consultation_detail, name="detail"),
    path(
        "consultations/<slug:slug>/attachments/<int:attachment_id>/",
        public.consultation_attachment,
        name="attachment",
    ),
    path(
        "consultations/<slug:slug>/summary-of-responses/",
        public.consultation_summary,
        name="summary",
    ),
    path(
        "consultations/<slug:slug>/published-responses/",
        public.consultation_published_responses,
        name="published_responses",
    ),
    path("documents/<slug:slug>/", public.document_detail, name="document"),
    path(
        "documents/<slug:slug>/attachments/<int:attachment_id>/",
        public.document_attachment,
        name="document_attachment",
    ),
    # The public response form.
    path("consultations/<slug:slug>/respond/", respond.respond_start, name="respond"),
    path("consultations/<slug:slug>/respond/check/", respond.respond_check, name="respond_check"),
    path(
        "consultations/<slug:slug>/respond/confirmation/",
        respond.respond_confirmation,
        name="respond_confirmation",
    ),
    path("consultations/<slug:slug>/respond/save/", respond.respond_save, name="respond_save"),
    path(
        "consultations/<slug:slug>/respond/resume/<str:token>/",
        respond.respond_resume,
        name="respond_resume",
    ),
    path(
        "consultations/<slug:slug>/respond/<slug:step>/",
        respond.respond_step,
        name="respond_step",
    ),
    # Staff pages.
    path("staff/consultations/", staff.staff_consultations, name="staff_consultations"),
    path("staff/consultations/<slug:slug>/", staff.staff_consultation, name="staff_consultation"),
    path(
        "staff/consultations/<slug:slug>/status/<slug:action>/",
        staff.staff_transition,
        name="staff_transition",
    ),
    path("staff/consultations/<slug:slug>/summary/", staff.staff_summary, name="staff_summary"),
    path(
        "staff/consultations/<slug:slug>/routing/",
        staff_routing.staff_routing,
        name="staff_routing",
    ),
    path(
        "staff/consultations/<slug:slug>/routing/<slug:key>/",
        staff_routing.staff_question_route,
        name="staff_question_route",
    ),
    path("staff/consultations/<slug:slug>/outcome/", staff.staff_outcome, name="staff_outcome"),
    path(
        "staff/consultations/<slug:slug>/late-response/",
        staff.staff_late_invitation,
        name="staff_late_invitation",
    ),
    path(
        "staff/consultations/<slug:slug>/postal-response/",
        staff.staff_postal_response,
        name="staff_postal_response",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/",
        staff.staff_responses,
        name="staff_responses",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/export.<str:fmt>",
        staff.staff_export,
        name="staff_export",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/publishable/",
        staff.staff_publishable,
        name="staff_publishable",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/publishable/export.<str:fmt>",
        staff.staff_publishable_export,
        name="staff_publishable_export",
    ),
    path(
        "staff/consultations/<slug:slug>/moderation/",
        staff_moderation.staff_moderation,
        name="staff_moderation",
    ),
    path(
        "staff/consultations/<slug:slug>/moderation/<int:response_id>/",
        staff_moderation.staff_response_moderation,
        name="staff_response_moderation",
    ),
    path(
        "staff/consultations/<slug:slug>/moderation/<int:response_id>/<slug:action>/",
        staff_moderation.staff_moderation_action,
        name="staff_moderation_action",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/<int:response_id>/",
        staff.staff_response,
        name="staff_response",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/<int:response_id>/edit/",
        staff.staff_response_edit,
        name="staff_response_edit",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/<int:response_id>/<slug:action>/",
        staff.staff_response_action,
        name="staff_response_action",
    ),
    path(
        "staff/consultations/<slug:slug>/responses/<int:response_id>/files/<int:attachment_id>/",
        staff.staff_response_attachment,
        name="staff_response_attachment",
    ),
]
