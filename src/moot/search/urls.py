from django.urls import path

from moot.search import feeds, views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/help/", views.search_help, name="help"),
    path("search/feed.atom", feeds.SearchAtomFeed(), name="feed_atom"),
    path("search/feed.rss", feeds.SearchRssFeed(), name="feed_rss"),
    path("members/<slug:slug>/feed.atom", feeds.MemberAtomFeed(), name="member_feed_atom"),
    path("members/<slug:slug>/feed.rss", feeds.MemberRssFeed(), name="member_feed_rss"),
    path(
        "departments/<slug:slug>/feed.atom",
        feeds.DepartmentAtomFeed(),
        name="department_feed_atom",
    ),
    path("departments/<slug:slug>/feed.rss", feeds.DepartmentRssFeed(), name="department_feed_rss"),
    path("consultations/feed.atom", feeds.ConsultationsAtomFeed(), name="consultations_feed_atom"),
    path("consultations/feed.rss", feeds.ConsultationsRssFeed(), name="consultations_feed_rss"),
    path(
        "consultations/<slug:slug>/feed.atom",
        feeds.ConsultationUpdatesAtomFeed(),
        name="consultation_feed_atom",
    ),
    path(
        "consultations/<slug:slug>/feed.rss",
        feeds.ConsultationUpdatesRssFeed(),
        name="consultation_feed_rss",
    ),
]
