from django.urls import path

from moot.policy import feeds
from moot.policy.views import public, staff

app_name = "policy"

urlpatterns = [
    path("policy/documents/<slug:slug>/", public.document_thread, name="document_thread"),
    path(
        "policy/documents/<slug:slug>/feed.atom",
        feeds.DocumentThreadAtom(),
        name="document_thread_atom",
    ),
    path(
        "policy/documents/<slug:slug>/feed.rss",
        feeds.DocumentThreadRss(),
        name="document_thread_rss",
    ),
    path(
        "policy/consultations/<slug:slug>/",
        public.consultation_thread,
        name="consultation_thread",
    ),
    path(
        "policy/consultations/<slug:slug>/feed.atom",
        feeds.ConsultationThreadAtom(),
        name="consultation_thread_atom",
    ),
    path(
        "policy/consultations/<slug:slug>/feed.rss",
        feeds.ConsultationThreadRss(),
        name="consultation_thread_rss",
    ),
    path("staff/mentions/", staff.staff_mentions, name="staff_mentions"),
    path(
        "staff/mentions/<int:mention_id>/<slug:action>/",
        staff.staff_mention_review,
        name="staff_mention_review",
    ),
]
