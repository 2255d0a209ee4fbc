from django.urls import path

from moot.consultations import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="detail"),
    path(
        "consultations/<slug:slug>/attachments/<int:attachment_id>/",
        views.consultation_attachment,
        name="attachment",
    ),
    path("documents/<slug:slug>/", views.document_detail, name="document"),
    path(
        "documents/<slug:slug>/attachments/<int:attachment_id>/",
        views.document_attachment,
        name="document_attachment",
    ),
]
