"""The API's written ministerial statements: the list and each statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view

from moot.api import statement_selectors
from moot.api.serializers.parameters import StatementParameters
from moot.api.serializers.statements import StatementSerializer
from moot.api.views.base import ApiDetailView, ApiListView, api_schema, latest_of


@extend_schema_view(
    get=api_schema(
        summary="Written ministerial statements",
        description="Newest first (by the day each was made). Filters combine.",
        response=StatementSerializer(many=True),
        parameters=StatementParameters,
        errors=(400, 503),
        tags=["Written statements"],
    )
)
class StatementList(ApiListView):
    serializer_class = StatementSerializer
    parameters_class = StatementParameters
    ordering = statement_selectors.STATEMENT_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return statement_selectors.statements_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at)

    def serializer_extra(self, rows: list[Any]) -> dict[str, Any]:
        return {"linked_statements": statement_selectors.linked_statements_of(rows)}


@extend_schema_view(
    get=api_schema(
        summary="A written ministerial statement",
        description="The same statement as the page at `html_url`.",
        response=StatementSerializer,
        extra_parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH),
            OpenApiParameter("identifier", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        errors=(404,),
        tags=["Written statements"],
    )
)
class StatementDetail(ApiDetailView):
    serializer_class = StatementSerializer
    modified = StatementList.modified
    serializer_extra = StatementList.serializer_extra

    def select_one(self, **kwargs: Any) -> Model:
        return statement_selectors.statement_for_api(
            date=kwargs["date"], identifier=kwargs["identifier"]
        )
