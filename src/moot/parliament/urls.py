from django.urls import path

from moot.parliament import views

app_name = "parliament"

urlpatterns = [
    path("written-questions/", views.index, name="index"),
    path(
        "written-questions/<str:date>/<slug:identifier>/",
        views.question_detail,
        name="question",
    ),
    path("members/<slug:slug>/", views.member_detail, name="member"),
    path("members/<slug:slug>/photo/", views.member_photo, name="member_photo"),
    path("departments/<slug:slug>/", views.department_detail, name="department"),
]
