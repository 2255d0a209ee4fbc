"""moot's URLs with an ``alerts:create`` route, for testing the search page's alert link
before (or regardless of whether) the alerts app provides one."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from moot.urls import urlpatterns as moot_urlpatterns


def _alert_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("alert form")


urlpatterns: list[URLPattern | URLResolver] = list(moot_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "alerts" for pattern in urlpatterns):
    urlpatterns.append(
        path("", include(([path("alerts/new/", _alert_form, name="create")], "alerts")))
    )
