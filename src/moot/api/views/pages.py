"""Pages for people: the API documentation, asking for a key, and the open-data downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from moot.api.docs import api_docs
from moot.api.forms import ApiKeyRequestForm
from moot.api.opendata.datasets import DATASETS
from moot.api.opendata.files import MANIFEST, open_data_manifest
from moot.api.opendata.files import open_data_file as find_open_data_file
from moot.api.problems import PROBLEMS
from moot.api.schema import openapi_schema
from moot.api.serializers.common import site_url
from moot.api.services import api_key_request
from moot.api.views.base import ApiView, api_schema
from moot.core.ratelimit import request_allowed


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    context = {
        "docs": api_docs(openapi_schema()),
        "problems": [(status, slug, title) for status, (slug, title) in PROBLEMS.items()],
        "rate_limit": settings.API_RATE_LIMIT,
        "rate_limit_hours": settings.API_RATE_LIMIT_WINDOW_SECONDS / 3600,
        "key_rate_limit": settings.API_KEY_RATE_LIMIT,
        "api_root": site_url(reverse("api:index")),
        "example_question": site_url(reverse("api:questions")) + "?department=home-office",
    }
    return render(request, "api/docs.html", context)


@require_http_methods(["GET", "POST"])
def key_request(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "api/key_request.html", {"form": ApiKeyRequestForm()})
    if not request_allowed(
        request, scope="api-key-request", limit=settings.API_KEY_REQUEST_RATE_LIMIT
    ):
        return render(request, "api/key_request_too_many.html", status=429)
    form = ApiKeyRequestForm(request.POST)
    if form.honeypot_filled():
        return redirect("api:key_requested")
    if not form.is_valid():
        return render(request, "api/key_request.html", {"form": form})
    api_key_request(
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        purpose=form.cleaned_data["purpose"],
    )
    return redirect("api:key_requested")


@require_GET
def key_requested(request: HttpRequest) -> HttpResponse:
    return render(request, "api/key_requested.html")


def _generated_at(manifest: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(manifest["generated_at"].replace("Z", "+00:00"))


def _as_of(manifest: dict[str, Any] | None) -> dt.datetime | None:
    value = manifest.get("as_of") if manifest else None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    manifest = open_data_manifest()
    titles = {dataset.name: dataset.title for dataset in DATASETS}
    context = {
        "manifest": manifest,
        "generated_at": _generated_at(manifest) if manifest else None,
        "as_of": _as_of(manifest),
        "files": manifest["files"] if manifest else [],
        "titles": titles,
        "datasets": DATASETS,
        "export_hour": settings.OPEN_DATA_EXPORT_HOUR,
    }
    return render(request, "api/open_data.html", context)


@require_GET
def open_data_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """A file of the current export, straight from disk, with its checksum as the ETag."""
    found = find_open_data_file(name=name)
    if found is None:
        raise Http404("No such file in the current export")
    path, entry = found
    etag = f'"{entry["sha256"]}"' if "sha256" in entry else None
    last_modified = int(path.stat().st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    is_manifest = name == MANIFEST
    response = FileResponse(
        path.open("rb"),
        as_attachment=not is_manifest,
        filename=name,
        content_type="application/json" if is_manifest else "application/gzip",
    )
    if etag:
        response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class LicenceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class OpenDataFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    dataset = serializers.CharField()
    title = serializers.CharField()
    format = serializers.ChoiceField(choices=[("jsonl", "JSON Lines"), ("csv", "CSV")])
    media_type = serializers.CharField()
    compression = serializers.CharField(help_text="Always gzip.")
    rows = serializers.IntegerField()
    bytes = serializers.IntegerField(help_text="The size of the compressed file.")
    sha256 = serializers.CharField(help_text="SHA-256 of the compressed file, in hex.")
    licence = LicenceSerializer()
    columns = serializers.ListField(child=serializers.CharField())
    download_url = serializers.URLField()


class OpenDataSerializer(serializers.Serializer):
    schema_version = serializers.IntegerField()
    generated_at = serializers.DateTimeField(help_text="When the files were made.")
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text="The time of the latest change to the data that the files include: "
        "anything changed later is in the API, and in the next export (made a few minutes "
        "after changes settle, and every night). Null for an export of no data.",
    )
    page_url = serializers.URLField(help_text="The page listing the downloads.")
    manifest_url = serializers.URLField()
    files = OpenDataFileSerializer(many=True)


@extend_schema_view(
    get=api_schema(
        summary="The bulk downloads",
        description="The current export (made again a few minutes after the data changes, "
        "and every night): every dataset as gzipped JSON Lines and CSV, with row counts, "
        "sizes and SHA-256 checksums, and as of when. 404 before the first export.",
        response=OpenDataSerializer,
        errors=(404,),
        tags=["About the API"],
    )
)
class OpenDataManifest(ApiView):
    serializer_class = OpenDataSerializer

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        manifest = open_data_manifest()
        if manifest is None:
            raise Http404("No open-data export has been made yet.")
        self.last_modified = _generated_at(manifest)
        files = [
            {**entry, "download_url": site_url(reverse("api:open_data_file", args=[entry["name"]]))}
            for entry in manifest["files"]
        ]
        return Response(
            {
                "schema_version": manifest["schema_version"],
                "generated_at": manifest["generated_at"],
                "as_of": manifest.get("as_of"),
                "page_url": site_url(reverse("api:open_data")),
                "manifest_url": site_url(reverse("api:open_data_file", args=[MANIFEST])),
                "files": files,
            }
        )
