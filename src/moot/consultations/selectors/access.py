"""Who on the staff may see what: the one place every staff page, export and admin asks.

It applies ``moot.core.permissions``: superusers see every consultation and response; other
active staff see those of their own department for which their role gives the capability
asked for (editors manage content; analysts see responses and analyse them), and nothing if
they have no department. The public sees none of this.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from moot.consultations.models import Consultation, Response
from moot.core.models import User
from moot.core.permissions import (
    AccessRefused,
    Capability,
    capability_check,
    is_staff_member,
    user_can,
    user_capabilities,
)


def consultations_visible_to(
    *, user: object, capability: Capability | None = None
) -> QuerySet[Consultation]:
    """The consultations ``user`` may work on: with ``capability``, or with any capability."""
    queryset = Consultation.objects.select_related("department")
    if not is_staff_member(user):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset
    held = user_capabilities(user=user)
    department_id = getattr(user, "department_id", None)
    if department_id is None or not held or (capability is not None and capability not in held):
        return queryset.none()
    return queryset.filter(department_id=department_id)


def responses_visible_to(*, user: object) -> QuerySet[Response]:
    return Response.objects.filter(
        consultation__in=consultations_visible_to(user=user, capability=Capability.RESPONSES)
    )


M = TypeVar("M", bound=Model)


def records_visible_to(
    *,
    user: object,
    queryset: QuerySet[M],
    department_paths: Sequence[str],
    capability: Capability,
) -> QuerySet[M]:
    """The rows of ``queryset`` owned, through any of ``department_paths`` (lookups ending at
    a department, e.g. ``"consultation__department"``), by a department for which ``user``
    has ``capability``: the admin's scoping of every department-owned model."""
    if not is_staff_member(user):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset
    department_id = getattr(user, "department_id", None)
    if department_id is None or capability not in user_capabilities(user=user):
        return queryset.none()
    owned = Q()
    for path in department_paths:
        owned |= Q(**{path: department_id})
    return queryset.filter(owned)


def record_departments(*, record: Model, department_paths: Sequence[str]) -> set[int]:
    """The departments owning ``record`` through ``department_paths``, read from the record
    and its related rows (no query when they are already loaded)."""
    found: set[int] = set()
    for path in department_paths:
        *steps, last = path.split("__")
        owner: Any = record
        for step in steps:
            owner = getattr(owner, step, None)
            if owner is None:
                break
        else:
            department_id = getattr(owner, f"{last}_id", None)
            if department_id is not None:
                found.add(department_id)
    return found


def record_visible_to(
    *, user: object, record: Model, department_paths: Sequence[str], capability: Capability
) -> bool:
    """Whether ``record`` is one of ``records_visible_to(...)``; a record of no department
    is for superusers only."""
    if getattr(user, "is_superuser", False) and is_staff_member(user):
        return True
    return any(
        user_can(user=user, capability=capability, department_id=department_id)
        for department_id in record_departments(record=record, department_paths=department_paths)
    )


def staff_can_access(
    *, user: object, consultation: Consultation, capability: Capability = Capability.RESPONSES
) -> bool:
    return user_can(user=user, capability=capability, department_id=consultation.department_id)


def staff_access_check(
    *, user: object, consultation: Consultation, capability: Capability = Capability.RESPONSES
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``capability`` for ``consultation``."""
    capability_check(
        user=user,
        capability=capability,
        department_id=consultation.department_id,
        consultation_slug=consultation.slug,
    )


def consultation_for_staff(
    *, user: User | object, slug: str, capability: Capability | None = Capability.RESPONSES
) -> Consultation:
    """The consultation for a staff page: 404 if there is none, 403 (``AccessRefused``, which
    the audit log records) if it is not theirs.

    ``capability=None`` admits any member of staff who may work on the consultation at all
    (its overview page).
    """
    try:
        consultation = Consultation.objects.select_related("department").get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    if capability is None:
        if not consultations_visible_to(user=user).filter(pk=consultation.pk).exists():
            raise AccessRefused(
                "This consultation belongs to another department.", consultation_slug=slug
            )
    else:
        staff_access_check(user=user, consultation=consultation, capability=capability)
    return consultation
