"""Staff roles and the one check every staff page, export and API key approval goes through.

Roles are Django groups holding permissions, so they are assigned in the admin:

- **Editors** manage the consultations and documents of their department;
- **Analysts** see, export and analyse the responses of their department;
- **administrators** are superusers: every department, staff accounts, the audit log.

A member of staff is confined to their own department: a permission counts only for
consultations of the department on their account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models


class Capability(models.TextChoices):
    CONTENT = "content", "Manage consultations and documents"
    RESPONSES = "responses", "See and export responses"
    ANALYSIS = "analysis", "Analyse responses and publish summaries"


# Declared on Consultation's Meta.permissions; the codenames live in the consultations app.
PERMISSIONS = {
    Capability.CONTENT: "consultations.manage_content",
    Capability.RESPONSES: "consultations.view_responses",
    Capability.ANALYSIS: "consultations.analyse_responses",
}

EDITORS = "Editors"
ANALYSTS = "Analysts"
ROLE_CAPABILITIES = {
    EDITORS: (Capability.CONTENT,),
    ANALYSTS: (Capability.RESPONSES, Capability.ANALYSIS),
}
# Admin model permissions each role gets, so the admin shows them what they manage.
ROLE_MODEL_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    EDITORS: {
        "consultations": [
            "consultation",
            "consultationsection",
            "document",
            "documentversion",
            "documentrelation",
            "attachment",
            "question",
            "questionoption",
            "respondentrole",
        ],
        "policy": ["shortname"],
    },
    ANALYSTS: {"consultations": ["response", "answer", "responseattachment", "responsesummary"]},
}


class AccessRefused(PermissionDenied):
    """A refusal that says what was asked for, so the audit log can record it."""

    def __init__(
        self,
        message: str,
        *,
        capability: Capability | None = None,
        consultation_slug: str = "",
        record_ids: Iterable[int] = (),
    ) -> None:
        super().__init__(message)
        self.capability = capability
        self.consultation_slug = consultation_slug
        self.record_ids = list(record_ids)


def is_staff_member(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def user_can(*, user: object, capability: Capability, department_id: int | None) -> bool:
    """Whether ``user`` has ``capability`` for things belonging to ``department_id``."""
    if not is_staff_member(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    own_department = getattr(user, "department_id", None)
    if own_department is None or own_department != department_id:
        return False
    return bool(user.has_perm(PERMISSIONS[capability]))  # type: ignore[attr-defined]


def user_capabilities(*, user: object) -> set[Capability]:
    """Every capability ``user`` holds (for their own department, or all if a superuser)."""
    if not is_staff_member(user):
        return set()
    if getattr(user, "is_superuser", False):
        return set(Capability)
    return {c for c in Capability if user.has_perm(PERMISSIONS[c])}  # type: ignore[attr-defined]


def capability_check(
    *,
    user: object,
    capability: Capability,
    department_id: int | None,
    consultation_slug: str = "",
) -> None:
    """Raise ``AccessRefused`` (a ``PermissionDenied``) unless ``user`` has ``capability``
    for the department; the refusal is audited by ``moot.core.audit``'s middleware."""
    if not user_can(user=user, capability=capability, department_id=department_id):
        raise AccessRefused(
            f"Your account cannot {capability.label.lower()} for this department.",
            capability=capability,
            consultation_slug=consultation_slug,
        )
