from django.urls import include, path

from moot.analysis.views import questions, responses, runs, summary

app_name = "analysis"

staff = [
    path("", runs.analysis_overview, name="overview"),
    path("run/", runs.analysis_run_create, name="run_start"),
    path("runs/", runs.analysis_runs, name="runs"),
    path("runs/<int:number>/", runs.analysis_run, name="run"),
    path("runs/<int:number>/stop/", runs.analysis_run_stop, name="run_stop"),
    path("runs/<int:number>/result.json.gz", runs.analysis_run_result, name="run_result"),
    path("questions/<str:ref>/", questions.analysis_question, name="question"),
    path("questions/<str:ref>/review/", questions.analysis_review, name="review"),
    path("questions/<str:ref>/merge/", questions.analysis_themes_merge, name="merge"),
    path("questions/<str:ref>/add-theme/", questions.analysis_theme_add, name="add_theme"),
    path(
        "questions/<str:ref>/themes/<str:theme_key>/",
        questions.analysis_theme,
        name="theme",
    ),
    path(
        "questions/<str:ref>/themes/<str:theme_key>/rename/",
        questions.analysis_theme_rename,
        name="rename",
    ),
    path(
        "questions/<str:ref>/themes/<str:theme_key>/split/",
        questions.analysis_theme_split,
        name="split",
    ),
    path(
        "questions/<str:ref>/themes/<str:theme_key>/delete/",
        questions.analysis_theme_delete,
        name="delete",
    ),
    path("campaigns/", responses.analysis_campaigns, name="campaigns"),
    path("campaigns/<str:campaign_key>/", responses.analysis_campaign, name="campaign"),
    path("responses/<int:response_id>/", responses.analysis_response, name="response"),
    path(
        "responses/<int:response_id>/code/<str:ref>/",
        responses.analysis_response_code,
        name="code",
    ),
    path("changes/", summary.analysis_changes, name="changes"),
    path("summary/", summary.analysis_publish, name="publish"),
    path(
        "summary/download.<str:fmt>",
        summary.analysis_summary_download,
        name="staff_download",
    ),
]

urlpatterns = [
    path("staff/consultations/<slug:slug>/analysis/", include(staff)),
    path(
        "consultations/<slug:slug>/summary-of-responses/download.<str:fmt>",
        summary.summary_download,
        name="summary_download",
    ),
]
