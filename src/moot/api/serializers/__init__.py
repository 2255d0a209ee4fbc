"""The API's JSON shapes. Each serializer documents its fields in the OpenAPI description."""

from moot.api.serializers.common import DepartmentSerializer
from moot.api.serializers.consultations import (
    ConsultationSerializer,
    DocumentSerializer,
    ResponseSummarySerializer,
)
from moot.api.serializers.parliament import MemberSerializer, QuestionSerializer

__all__ = [
    "ConsultationSerializer",
    "DepartmentSerializer",
    "DocumentSerializer",
    "MemberSerializer",
    "QuestionSerializer",
    "ResponseSummarySerializer",
]
