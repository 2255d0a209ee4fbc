from django.urls import path

from moot.parliament import feeds, views

app_name = "parliament"

urlpatterns = [
    path("written-questions/", views.index, name="index"),
    path("written-questions/feed.atom", feeds.WrittenAnswersFeed(), name="answers_feed"),
    path(
        "written-questions/commons/feed.atom",
        feeds.HouseWrittenAnswersFeed(),
        {"house": "commons"},
        name="commons_answers_feed",
    ),
    path(
        "written-questions/lords/feed.atom",
        feeds.HouseWrittenAnswersFeed(),
        {"house": "lords"},
        name="lords_answers_feed",
    ),
    path(
        "written-questions/<str:date>/feed.atom",
        feeds.DayWrittenAnswersFeed(),
        name="day_answers_feed",
    ),
    path(
        "departments/<slug:slug>/written-answers.atom",
        feeds.DepartmentWrittenAnswersFeed(),
        name="department_answers_feed",
    ),
    path("written-questions/answer-quality/", views.answer_quality, name="answer_quality"),
    path(
        "written-questions/source/<path:source_id>/", views.source_redirect, name="source_redirect"
    ),
    path("written-questions/answers/<int:answer_id>/vote/", views.answer_vote, name="answer_vote"),
    path("written-questions/<str:date>/", views.day_index, name="day"),
    path(
        "written-questions/<str:date>/<slug:identifier>/",
        views.question_detail,
        name="question",
    ),
    path("members/<slug:slug>/", views.member_detail, name="member"),
    path("members/<slug:slug>/questions/", views.member_questions, name="member_questions"),
    path("members/<slug:slug>/answers/", views.member_answers, name="member_answers"),
    path("members/<slug:slug>/photo/", views.member_photo, name="member_photo"),
    path("departments/<slug:slug>/", views.department_detail, name="department"),
    path(
        "departments/<slug:slug>/questions/",
        views.department_questions,
        name="department_questions",
    ),
]
