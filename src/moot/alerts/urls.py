from django.urls import path

from moot.alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.alert_create, name="create"),
    path("alerts/check-your-email/", views.check_email, name="check_email"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="confirm"),
    path("alerts/manage/", views.manage_request, name="manage_request"),
    path("alerts/manage/sent/", views.manage_sent, name="manage_sent"),
    path("alerts/manage/<str:token>/", views.manage, name="manage"),
    path(
        "alerts/manage/<str:token>/alerts/<int:alert_id>/",
        views.manage_alert,
        name="manage_alert",
    ),
    path(
        "alerts/manage/<str:token>/alerts/<int:alert_id>/words/",
        views.manage_alert_edit,
        name="manage_alert_edit",
    ),
    path("alerts/manage/<str:token>/delete-all/", views.manage_delete_all, name="delete_all"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/delivery-problems/", views.delivery_problems, name="delivery_problems"),
]
