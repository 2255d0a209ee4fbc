"""Reads for the consultations app. Staff reads go through ``access`` first."""

from moot.consultations.selectors.access import (
    consultation_for_staff,
    consultations_visible_to,
    responses_visible_to,
    staff_access_check,
    staff_can_access,
)
from moot.consultations.selectors.consultations import (
    PUBLIC_STATUSES,
    RELATION_ORDER,
    RelatedDocument,
    consultation_attachment,
    consultation_for_page,
    consultation_list,
    consultation_status_q,
    consultations_open,
    consultations_published,
    departments_with_consultations,
    document_attachment,
    document_for_page,
    document_relations,
)

__all__ = [
    "PUBLIC_STATUSES",
    "RELATION_ORDER",
    "RelatedDocument",
    "consultation_attachment",
    "consultation_for_page",
    "consultation_for_staff",
    "consultation_list",
    "consultation_status_q",
    "consultations_open",
    "consultations_published",
    "consultations_visible_to",
    "departments_with_consultations",
    "document_attachment",
    "document_for_page",
    "document_relations",
    "responses_visible_to",
    "staff_access_check",
    "staff_can_access",
]
