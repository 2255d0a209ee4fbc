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


EDITORS = "Editors"
ANALYSTS = "Analysts"
ROLE_CAPABILITIES = {
    EDITORS: (Capability.CONTENT,),
    ANALYSTS: (Capability.RESPONSES, Capability.ANALYSIS),
}

# Filled by the apps that own the data (consultations, from its AppConfig.ready): core knows
# the capabilities and roles, not which app's permissions grant them.
PERMISSIONS: dict[Capability, str] = {}
# Admin model permissions each role gets, so the admin shows them what they manage.
ROLE_MODEL_PERMISSIONS: dict[str, dict[str, list[str]]] = {EDITORS: {}, ANALYSTS: {}}


def capability_permission_register(*, capability: Capability, permission: str) -> None:
    """``permission`` ("app_label.codename") grants ``capability`` for one's own department."""
    PERMISSIONS[capability] = permission


def role_model_permissions_register(*, role: str, app_label: str, model_names: list[str]) -> None:
    """Give ``role`` the admin's model permissions on ``app_label``'s ``model_names``."""
    ROLE_MODEL_PERMISSIONS[role][app_label] = list(model_names)


def _has_capability_permission(user: object, capability: Capability) -> bool:
    permission = PERMISSIONS.get(capability)
    return permission is not None and bool(user.has_perm(permission))  # type: ignore[attr-defined]


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
    return _has_capability_permission(user, capability)


def user_capabilities(*, user: object) -> set[Capability]:
    """Every capability ``user`` holds (for their own department, or all if a superuser)."""
    if not is_staff_member(user):
        return set()
    if getattr(user, "is_superuser", False):
        return set(Capability)
    return {c for c in Capability if _has_capability_permission(user, c)}


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
