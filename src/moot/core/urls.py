from django.urls import path

from moot.core import health, staff_auth, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("staff/login/", staff_auth.staff_login, name="staff_login"),
    path("staff/login/code/", staff_auth.staff_login_code, name="staff_login_code"),
    path(
        "staff/login/set-up/",
        staff_auth.staff_two_factor_setup,
        name="staff_two_factor_setup",
    ),
    path("staff/logout/", staff_auth.staff_logout, name="staff_logout"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
]
