"""The API's debates: a list and one debate section with its speeches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view

from moot.api.debates import DEBATE_ORDER, debate_for_api, debates_for_api
from moot.api.serializers.debates import DebateParameters, DebateSerializer
from moot.api.views.base import ApiDetailView, ApiListView, api_schema, latest_of


@extend_schema_view(
    get=api_schema(
        summary="Debates",
        description="Hansard debate sections (a heading and its speeches), newest first. "
        "Filters combine.",
        response=DebateSerializer(many=True),
        parameters=DebateParameters,
        errors=(400,),
        tags=["Debates"],
    )
)
class DebateList(ApiListView):
    serializer_class = DebateSerializer
    parameters_class = DebateParameters
    ordering = DEBATE_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return debates_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at, related=obj.speeches.all())


@extend_schema_view(
    get=api_schema(
        summary="A debate",
        description="The same debate as the page at `html_url`, every speech with its speaker.",
        response=DebateSerializer,
        extra_parameters=[
            OpenApiParameter("location", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH),
            OpenApiParameter("identifier", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        errors=(404,),
        tags=["Debates"],
    )
)
class DebateDetail(ApiDetailView):
    serializer_class = DebateSerializer
    modified = DebateList.modified

    def select_one(self, **kwargs: Any) -> Model:
        return debate_for_api(
            location=kwargs["location"], date=kwargs["date"], identifier=kwargs["identifier"]
        )
