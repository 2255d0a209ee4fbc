import datetime as dt

from django.urls import URLPattern, URLResolver, include, path, register_converter

from moot.api.views import debates, index, pages, resources, search, statements


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError: no match, so a 404

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else value


register_converter(IsoDateConverter, "isodate")

app_name = "api"

v1_patterns: list[URLPattern | URLResolver] = [
    path("", index.ApiIndex.as_view(), name="index"),
    path("questions/", resources.QuestionList.as_view(), name="questions"),
    path(
        "questions/<isodate:date>/<slug:identifier>/",
        resources.QuestionDetail.as_view(),
        name="question",
    ),
    path("debates/", debates.DebateList.as_view(), name="debates"),
    path(
        "debates/<slug:location>/<isodate:date>/<slug:identifier>/",
        debates.DebateDetail.as_view(),
        name="debate",
    ),
    path("statements/", statements.StatementList.as_view(), name="statements"),
    path(
        "statements/<isodate:date>/<slug:identifier>/",
        statements.StatementDetail.as_view(),
        name="statement",
    ),
    path("members/", resources.MemberList.as_view(), name="members"),
    path("members/<slug:slug>/", resources.MemberDetail.as_view(), name="member"),
    path("departments/", resources.DepartmentList.as_view(), name="departments"),
    path("departments/<slug:slug>/", resources.DepartmentDetail.as_view(), name="department"),
    path("consultations/", resources.ConsultationList.as_view(), name="consultations"),
    path(
        "consultations/<slug:slug>/",
        resources.ConsultationDetail.as_view(),
        name="consultation",
    ),
    path("documents/", resources.DocumentList.as_view(), name="documents"),
    path("documents/<slug:slug>/", resources.DocumentDetail.as_view(), name="document"),
    path("summaries/", resources.SummaryList.as_view(), name="summaries"),
    path("summaries/<slug:slug>/", resources.SummaryDetail.as_view(), name="summary"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("open-data/", pages.OpenDataManifest.as_view(), name="open_data_manifest"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", pages.docs, name="docs"),
    path("api/v1/", include(v1_patterns)),
    path("api/v1/openapi.json", index.openapi_json, name="openapi_json"),
    path("api/v1/openapi.yaml", index.openapi_yaml, name="openapi_yaml"),
    path("api-keys/", pages.key_request, name="key_request"),
    path("api-keys/requested/", pages.key_requested, name="key_requested"),
    path("open-data/", pages.open_data, name="open_data"),
    path("open-data/<str:name>", pages.open_data_file, name="open_data_file"),
]
