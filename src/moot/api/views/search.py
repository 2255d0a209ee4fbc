"""Searching everything through the API, on the site's search service."""

from __future__ import annotations

import hashlib
import html
from typing import Any

from django.utils.html import strip_tags
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from moot.api.pagination import (
    CURSOR_PARAMETERS,
    page_cursor_decode,
    page_cursor_encode,
    page_link,
    page_size_from,
)
from moot.api.search import hit_api_path, search_for_api
from moot.api.serializers.common import site_url
from moot.api.serializers.parameters import SearchParameters
from moot.api.views.base import ApiView, api_schema


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            ("question", "Written question"),
            ("consultation", "Consultation"),
            ("document", "Document"),
            ("debate", "Debate"),
        ]
    )
    title = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="The record in the API.")
    html_url = serializers.URLField(help_text="Its page on the site.")
    date = serializers.DateField()
    snippet = serializers.CharField(help_text="A passage of the text that matched.")
    snippet_html = serializers.CharField(
        help_text="The same passage, HTML-escaped, with the matched words in <mark>."
    )
    departments = serializers.ListField(child=serializers.CharField(), help_text="Slugs.")
    members = serializers.ListField(child=serializers.CharField(), help_text="Slugs.")
    score = serializers.FloatField(help_text="Relevance; 0 when sorted newest first.")


class SearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="How many records match (all of them).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Matches by type, department (slug) and year.",
    )
    results = SearchHitSerializer(many=True)


def _hit(hit: Any) -> dict[str, Any]:
    document = hit.document
    path = hit_api_path(hit)
    return {
        "kind": document.kind,
        "title": document.title,
        "url": site_url(path) if path else None,
        "html_url": site_url(document.url),
        "date": document.date.isoformat(),
        "snippet": html.unescape(strip_tags(hit.snippet_html)),
        "snippet_html": str(hit.snippet_html),
        "departments": list(document.department_slugs),
        "members": list(document.member_slugs),
        "score": hit.score,
    }


@extend_schema_view(
    get=api_schema(
        summary="Search everything",
        description="Written questions, consultations and documents, best match first "
        "(or newest first). Pages through the best 1,000 results.",
        response=SearchResultsSerializer,
        parameters=SearchParameters,
        extra_parameters=[
            OpenApiParameter(
                str(p["name"]),
                location=OpenApiParameter.QUERY,
                description=str(p["description"]),
                type=p["schema"],
            )
            for p in CURSOR_PARAMETERS
        ],
        errors=(400, 503),
        tags=["Search"],
    )
)
class SearchView(ApiView):
    serializer_class = SearchResultsSerializer

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        parameters = SearchParameters(data=request.query_params.dict())
        parameters.parameters_check(set(request.query_params))
        parameters.is_valid(raise_exception=True)
        query, sort = parameters.validated_data["q"], parameters.validated_data["sort"]
        scope = "search:" + hashlib.sha256(f"{sort}\n{query}".encode()).hexdigest()[:16]
        cursor = request.query_params.get("cursor")
        page = page_cursor_decode(cursor=cursor, scope=scope) if cursor is not None else 1
        results = search_for_api(
            query=query, sort=sort, page=page, page_size=page_size_from(request)
        )
        following = results.page < results.page_count and results.hits
        return Response(
            {
                "total": results.total,
                "next": page_link(request, page_cursor_encode(scope=scope, page=page + 1))
                if following
                else None,
                "previous": page_link(request, page_cursor_encode(scope=scope, page=page - 1))
                if page > 1
                else None,
                "counts": {
                    name: {value.value: value.count for value in values}
                    for name, values in results.facets.items()
                },
                "results": [_hit(hit) for hit in results.hits],
            }
        )
