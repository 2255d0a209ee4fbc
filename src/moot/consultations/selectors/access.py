"""Who on the staff may see what: the one place every staff page, export and admin asks.

It applies ``moot.core.permissions``: superusers see every consultation and response; other
active staff see those of their own department for which their role gives the capability
asked for (editors manage content; analysts see responses and analyse them), and nothing if
they have no department. The public sees none of this.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from moot.consultations.models import Consultation, Response
from moot.core.models import User
from moot.core.permissions import (
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


def staff_can_access(
    *, user: object, consultation: Consultation, capability: Capability = Capability.RESPONSES
) -> bool:
    return user_can(user=user, capability=capability, department_id=consultation.department_id)


def staff_access_check(
    *, user: object, consultation: Consultation, capability: Capability = Capability.RESPONSES
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` has ``capability`` for ``consultation``."""
    capability_check(user=user, capability=capability, department_id=consultation.department_id)


def consultation_for_staff(
    *, user: User | object, slug: str, capability: Capability | None = Capability.RESPONSES
) -> Consultation:
    """The consultation for a staff page: 404 if there is none, 403 if it is not theirs.

    ``capability=None`` admits any member of staff who may work on the consultation at all
    (its overview page).
    """
    try:
        consultation = Consultation.objects.select_related("department").get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    if capability is None:
        if not consultations_visible_to(user=user).filter(pk=consultation.pk).exists():
            raise PermissionDenied("This consultation belongs to another department.")
    else:
        staff_access_check(user=user, consultation=consultation, capability=capability)
    return consultation
