"""The API's front door and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from moot.api.schema import openapi_schema
from moot.api.serializers.common import site_url
from moot.api.views.base import ApiView, api_schema

INDEX_LINKS = {
    "questions": "api:questions",
    "debates": "api:debates",
    "statements": "api:statements",
    "members": "api:members",
    "departments": "api:departments",
    "consultations": "api:consultations",
    "documents": "api:documents",
    "summaries_of_responses": "api:summaries",
    "search": "api:search",
    "open_data": "api:open_data_manifest",
    "openapi": "api:openapi_json",
    "documentation": "api:docs",
}


class IndexSerializer(serializers.Serializer):
    version = serializers.CharField()


for _name in INDEX_LINKS:
    IndexSerializer._declared_fields[_name] = serializers.URLField()


@extend_schema_view(
    get=api_schema(
        summary="Where everything is",
        description="Links to each list, the bulk downloads and this description.",
        response=IndexSerializer,
        tags=["About the API"],
    )
)
class ApiIndex(ApiView):
    serializer_class = IndexSerializer

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        links = {key: site_url(reverse(name)) for key, name in INDEX_LINKS.items()}
        return Response({"version": "1", **links})


def openapi_json(request: HttpRequest) -> HttpResponse:
    body = OpenApiJsonRenderer().render(openapi_schema(), renderer_context={})
    return HttpResponse(body, content_type="application/vnd.oai.openapi+json")


def openapi_yaml(request: HttpRequest) -> HttpResponse:
    body = OpenApiYamlRenderer().render(openapi_schema(), renderer_context={})
    return HttpResponse(body, content_type="application/vnd.oai.openapi")
