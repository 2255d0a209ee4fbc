from django.urls import path

from moot.parliament import feeds, statement_feeds, statement_views, views

app_name = "parliament"

urlpatterns = [
    path("written-questions/", views.index, name="index"),
    path("recently-answered/", views.recently_answered, name="recently_answered"),
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
    path("written-questions/timeliness/", views.timeliness, name="timeliness"),
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
    path("written-statements/", statement_views.statements_index, name="statements"),
    path(
        "written-statements/feed.atom",
        statement_feeds.WrittenStatementsFeed(),
        name="statements_feed",
    ),
    path(
        "departments/<slug:slug>/written-statements.atom",
        statement_feeds.DepartmentWrittenStatementsFeed(),
        name="department_statements_feed",
    ),
    path(
        "written-statements/source/<path:source_id>/",
        statement_views.statement_source_redirect,
        name="statement_source_redirect",
    ),
    path("written-statements/<str:date>/", statement_views.statement_day, name="statement_day"),
    path(
        "written-statements/<str:date>/<slug:identifier>/",
        statement_views.statement_detail,
        name="statement",
    ),
    path("debates/", views.debate_index, name="debates"),
    path("debates/feed.atom", feeds.DebatesFeed(), name="debates_feed"),
    path(
        "debates/source/<path:source_id>/",
        views.debate_source_redirect,
        name="debate_source_redirect",
    ),
    path(
        "debates/<slug:location>/<str:date>/<slug:identifier>/",
        views.debate_detail,
        name="debate",
    ),
    path("members/find/", views.find_mp, name="find_mp"),
    path("members/<slug:slug>/", views.member_detail, name="member"),
    path("members/<slug:slug>/speeches/", views.member_speeches, name="member_speeches"),
    path("members/<slug:slug>/questions/", views.member_questions, name="member_questions"),
    path("members/<slug:slug>/answers/", views.member_answers, name="member_answers"),
    path("members/<slug:slug>/photo/", views.member_photo, name="member_photo"),
    path("members/<slug:slug>/photo/small/", views.member_photo_small, name="member_photo_small"),
    path("departments/<slug:slug>/", views.department_detail, name="department"),
    path(
        "departments/<slug:slug>/questions/",
        views.department_questions,
        name="department_questions",
    ),
]
