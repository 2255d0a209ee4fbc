"""Who on the staff may see what: the one place every staff page, export and admin asks.

Superusers see every consultation and response. Other active staff see those of their own
department, and nothing if they have none. The public sees none of this.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from moot.consultations.models import Consultation, Response
from moot.core.models import User


def _is_staff(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def consultations_visible_to(*, user: object) -> QuerySet[Consultation]:
    """The consultations whose responses ``user`` may see and manage."""
    queryset = Consultation.objects.select_related("department")
    if not _is_staff(user):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset
    department_id = getattr(user, "department_id", None)
    if department_id is None:
        return queryset.none()
    return queryset.filter(department_id=department_id)


def responses_visible_to(*, user: object) -> QuerySet[Response]:
    return Response.objects.filter(consultation__in=consultations_visible_to(user=user))


def staff_can_access(*, user: object, consultation: Consultation) -> bool:
    if not _is_staff(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    department_id = getattr(user, "department_id", None)
    return department_id is not None and department_id == consultation.department_id


def staff_access_check(*, user: object, consultation: Consultation) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may manage ``consultation``."""
    if not staff_can_access(user=user, consultation=consultation):
        raise PermissionDenied("This consultation belongs to another department.")


def consultation_for_staff(*, user: User | object, slug: str) -> Consultation:
    """The consultation for a staff page: 404 if there is none, 403 if it is not theirs."""
    try:
        consultation = Consultation.objects.select_related("department").get(slug=slug)
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None
    staff_access_check(user=user, consultation=consultation)
    return consultation
