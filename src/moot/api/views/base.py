"""The API's base views: JSON only, keys and rate limits, problem details, Last-Modified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from moot.api.auth import ApiKeyAuthentication, ApiRateThrottle, RateLimitState
from moot.api.pagination import KeysetPagination
from moot.api.problems import PROBLEM_CONTENT_TYPE, api_exception_handler
from moot.api.serializers.parameters import Parameters


class JsonOnly(BaseContentNegotiation):
    """Every answer is JSON, whatever ``Accept`` says: there is nothing else to offer."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type = serializers.URLField(help_text="A link to this kind of error's description.")
    title = serializers.CharField(help_text="The kind of error, e.g. Not found.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, in a sentence for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On 400: messages for each parameter that was wrong.",
    )


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(ProblemSerializer, description=description)


CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier response: 304 if it is still current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An HTTP date: 304 if nothing in the response changed since.",
    ),
]


def error_responses(*codes: int) -> dict[Any, Any]:
    descriptions = {
        400: "A parameter is wrong (see `errors`), or the cursor was not issued by this list.",
        401: "The API key sent is not valid, or was revoked.",
        404: "Nothing is published at this address.",
        429: "Too many requests: wait `Retry-After` seconds, or use an API key.",
        500: "A failure on the site's side.",
        503: "Search is not ready (its index is being built): wait `Retry-After` seconds.",
    }
    responses: dict[Any, Any] = {
        304: OpenApiResponse(description="Not modified: the copy you hold is current.")
    }
    for code in (*codes, 401, 429, 500):
        responses[(code, PROBLEM_CONTENT_TYPE)] = _problem(descriptions[code])
    return responses


def api_schema(
    *,
    summary: str,
    description: str,
    response: Any,
    parameters: type[Parameters] | None = None,
    extra_parameters: Iterable[OpenApiParameter] = (),
    errors: tuple[int, ...] = (),
    tags: Iterable[str] = (),
    success: str = "",
) -> Any:
    """The OpenAPI description of one GET endpoint, with the errors every endpoint may give."""
    many = getattr(response, "many", False)
    success = success or ("A page of the list." if many else "Found.")
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[*extra_parameters, *([parameters] if parameters else []), *CONDITIONAL_HEADERS],
        responses={
            200: OpenApiResponse(response, description=success),
            **error_responses(*errors),
        },
        tags=list(tags),
    )


def _latest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    return max((t for t in times if t is not None), default=None)


class ApiView(generics.GenericAPIView):
    """Read-only, JSON, anonymous or with a key, rate limited; errors as problem details."""

    renderer_classes = [JSONRenderer]
    parser_classes: ClassVar[list[Any]] = []
    content_negotiation_class = JsonOnly
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ApiRateThrottle]
    http_method_names = ["get", "head", "options"]
    last_modified: dt.datetime | None = None

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    def modified(self, obj: Any) -> dt.datetime | None:
        """When ``obj`` or anything shown with it last changed."""
        return getattr(obj, "updated_at", None)

    def serializer_extra(self, rows: list[Any]) -> dict[str, Any]:
        """What the serializer needs for ``rows`` beyond the rows, loaded once for them all."""
        return {}

    def serializer_for(self, rows: Any, **kwargs: Any) -> Any:
        listed = list(rows) if kwargs.get("many") else [rows]
        context = {**self.get_serializer_context(), **self.serializer_extra(listed)}
        return self.get_serializer(rows, context=context, **kwargs)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        state: RateLimitState | None = getattr(request, "rate_limit", None)
        if state is not None:
            response["RateLimit-Limit"] = str(state.limit)
            response["RateLimit-Remaining"] = str(state.remaining)
            response["RateLimit-Reset"] = str(state.resets_in)
        if response.status_code == 200 and self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response


class ApiListView(ApiView, generics.ListAPIView):
    """A list: its parameters validated, filtered by a selector, a page at a time."""

    parameters_class: type[Parameters] = Parameters
    ordering: tuple[str, ...] = ("id",)
    pagination_class = KeysetPagination

    def select(self, **filters: Any) -> QuerySet:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        parameters = self.parameters_class(data=request.query_params.dict())
        parameters.parameters_check(set(request.query_params))
        parameters.is_valid(raise_exception=True)
        page: list[Model] = self.paginate_queryset(self.select(**parameters.validated_data))
        self.last_modified = _latest(self.modified(row) for row in page)
        return self.get_paginated_response(self.serializer_for(page, many=True).data)


class ApiDetailView(ApiView, generics.RetrieveAPIView):
    """One resource, found by a selector from the URL's parts (404 if not public)."""

    def select_one(self, **kwargs: Any) -> Model:
        raise NotImplementedError

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.select_one(**kwargs)
        self.last_modified = self.modified(obj)
        return Response(self.serializer_for(obj).data)


def latest_of(*times: dt.datetime | None, related: Iterable[Any] = ()) -> dt.datetime | None:
    """The latest of ``times`` and the ``updated_at`` of each ``related`` row."""
    return _latest([*times, *(getattr(row, "updated_at", None) for row in related)])
