from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "moot administration"
admin.site.site_title = "moot administration"
admin.site.index_title = "Manage consultations, documents and parliamentary records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("moot.core.urls")),
    path("", include("moot.consultations.urls")),
    path("", include("moot.parliament.urls")),
    path("", include("moot.search.urls")),
    path("", include("moot.alerts.urls")),
    path("", include("moot.api.urls")),
    path("", include("moot.analysis.urls")),
    path("", include("moot.policy.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
