"""The API's lists and resources: each one declares its selector, shape and parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view

from moot.api import selectors
from moot.api.serializers import (
    ConsultationSerializer,
    DepartmentSerializer,
    DocumentSerializer,
    MemberSerializer,
    QuestionSerializer,
    ResponseSummarySerializer,
)
from moot.api.serializers.parameters import (
    ConsultationParameters,
    DepartmentParameters,
    DocumentParameters,
    MemberParameters,
    QuestionParameters,
    SummaryParameters,
)
from moot.api.serializers.parliament import answer_vote_counts
from moot.api.views.base import ApiDetailView, ApiListView, api_schema, latest_of


def _slug(noun: str) -> OpenApiParameter:
    return OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description=noun)


@extend_schema_view(
    get=api_schema(
        summary="Written questions and their answers",
        description="Newest first (by the day each is filed under). Filters combine.",
        response=QuestionSerializer(many=True),
        parameters=QuestionParameters,
        errors=(400, 503),
        tags=["Written questions"],
    )
)
class QuestionList(ApiListView):
    serializer_class = QuestionSerializer
    parameters_class = QuestionParameters
    ordering = selectors.QUESTION_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.questions_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at, related=obj.answers.all())

    def serializer_extra(self, rows: list[Any]) -> dict[str, Any]:
        answers = [answer for question in rows for answer in question.answers.all()]
        return {"vote_tallies": answer_vote_counts(answers=answers)}


@extend_schema_view(
    get=api_schema(
        summary="A written question and its answers",
        description="The same question as the page at `html_url`.",
        response=QuestionSerializer,
        extra_parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH),
            OpenApiParameter("identifier", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        errors=(404,),
        tags=["Written questions"],
    )
)
class QuestionDetail(ApiDetailView):
    serializer_class = QuestionSerializer
    modified = QuestionList.modified
    serializer_extra = QuestionList.serializer_extra

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.question_for_api(date=kwargs["date"], identifier=kwargs["identifier"])


@extend_schema_view(
    get=api_schema(
        summary="Members of either House",
        description="By slug. Each with every seat they held and every office.",
        response=MemberSerializer(many=True),
        parameters=MemberParameters,
        errors=(400,),
        tags=["Members"],
    )
)
class MemberList(ApiListView):
    serializer_class = MemberSerializer
    parameters_class = MemberParameters
    ordering = selectors.MEMBER_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.members_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at, related=[*obj.memberships.all(), *obj.posts.all()])


@extend_schema_view(
    get=api_schema(
        summary="A member",
        description="With every seat they held and every office.",
        response=MemberSerializer,
        extra_parameters=[_slug("The member's slug.")],
        errors=(404,),
        tags=["Members"],
    )
)
class MemberDetail(ApiDetailView):
    serializer_class = MemberSerializer
    modified = MemberList.modified

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.member_for_api(slug=kwargs["slug"])


@extend_schema_view(
    get=api_schema(
        summary="Departments",
        description="Government departments and other bodies that answer questions or consult.",
        response=DepartmentSerializer(many=True),
        parameters=DepartmentParameters,
        errors=(400,),
        tags=["Departments"],
    )
)
class DepartmentList(ApiListView):
    serializer_class = DepartmentSerializer
    parameters_class = DepartmentParameters
    ordering = selectors.DEPARTMENT_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.departments_for_api(**filters)


@extend_schema_view(
    get=api_schema(
        summary="A department",
        description="With links to its questions and consultations.",
        response=DepartmentSerializer,
        extra_parameters=[_slug("The department's slug.")],
        errors=(404,),
        tags=["Departments"],
    )
)
class DepartmentDetail(ApiDetailView):
    serializer_class = DepartmentSerializer

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.department_for_api(slug=kwargs["slug"])


@extend_schema_view(
    get=api_schema(
        summary="Consultations",
        description="Published consultations, latest opening first, with their sections, "
        "files and documents. Drafts are never listed.",
        response=ConsultationSerializer(many=True),
        parameters=ConsultationParameters,
        errors=(400,),
        tags=["Consultations"],
    )
)
class ConsultationList(ApiListView):
    serializer_class = ConsultationSerializer
    parameters_class = ConsultationParameters
    ordering = selectors.CONSULTATION_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.consultations_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at, related=[*obj.sections.all(), *obj.attachments.all()])


@extend_schema_view(
    get=api_schema(
        summary="A consultation",
        description="A published consultation with its sections, files and documents; 404 "
        "for a draft.",
        response=ConsultationSerializer,
        extra_parameters=[_slug("The consultation's slug.")],
        errors=(404,),
        tags=["Consultations"],
    )
)
class ConsultationDetail(ApiDetailView):
    serializer_class = ConsultationSerializer
    modified = ConsultationList.modified

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.consultation_for_api(slug=kwargs["slug"])


@extend_schema_view(
    get=api_schema(
        summary="Documents",
        description="Guidance, draft guidance and consultation responses, by slug, with "
        "their versions, files and related documents.",
        response=DocumentSerializer(many=True),
        parameters=DocumentParameters,
        errors=(400,),
        tags=["Documents"],
    )
)
class DocumentList(ApiListView):
    serializer_class = DocumentSerializer
    parameters_class = DocumentParameters
    ordering = selectors.DOCUMENT_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.documents_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        versions = list(obj.versions.all())
        files = [attachment for version in versions for attachment in version.attachments.all()]
        return latest_of(obj.updated_at, related=[*versions, *files])


@extend_schema_view(
    get=api_schema(
        summary="A document",
        description="With its versions, their files and related documents.",
        response=DocumentSerializer,
        extra_parameters=[_slug("The document's slug.")],
        errors=(404,),
        tags=["Documents"],
    )
)
class DocumentDetail(ApiDetailView):
    serializer_class = DocumentSerializer
    modified = DocumentList.modified

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.document_for_api(slug=kwargs["slug"])


@extend_schema_view(
    get=api_schema(
        summary="Summaries of responses",
        description="Published with each consultation's outcome, newest first. They say "
        "what respondents said as a whole; nothing about any respondent is published here.",
        response=ResponseSummarySerializer(many=True),
        parameters=SummaryParameters,
        errors=(400,),
        tags=["Consultations"],
    )
)
class SummaryList(ApiListView):
    serializer_class = ResponseSummarySerializer
    parameters_class = SummaryParameters
    ordering = selectors.SUMMARY_ORDER

    def select(self, **filters: Any) -> QuerySet:
        return selectors.summaries_for_api(**filters)

    def modified(self, obj: Any) -> dt.datetime | None:
        return latest_of(obj.updated_at, obj.consultation.updated_at)


@extend_schema_view(
    get=api_schema(
        summary="A consultation's summary of responses",
        description="404 until it is published with the consultation's outcome.",
        response=ResponseSummarySerializer,
        extra_parameters=[_slug("The consultation's slug.")],
        errors=(404,),
        tags=["Consultations"],
    )
)
class SummaryDetail(ApiDetailView):
    serializer_class = ResponseSummarySerializer
    modified = SummaryList.modified

    def select_one(self, **kwargs: Any) -> Model:
        return selectors.summary_for_api(slug=kwargs["slug"])
