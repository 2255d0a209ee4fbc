"""Bounces and complaints: addresses that should not be sent alerts any more."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from moot.alerts.models import DeliveryProblem, ProblemKind, Subscriber, SuspensionReason
from moot.alerts.services.subscriptions import normalise_email

# Temporary failures suspend an address only when they keep happening.
SOFT_BOUNCES_TO_SUSPEND = 3
SOFT_BOUNCE_WINDOW = dt.timedelta(days=14)


def subscriber_suspend(
    *, subscriber: Subscriber, reason: str, now: dt.datetime | None = None
) -> None:
    """Stop all email to the address. Idempotent; the first reason is kept."""
    if subscriber.suspended_at is None:
        subscriber.suspended_at = now or timezone.now()
        subscriber.suspension_reason = reason
        subscriber.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])


def subscriber_reinstate(*, subscriber: Subscriber) -> None:
    if subscriber.suspended_at is not None:
        subscriber.suspended_at = None
        subscriber.suspension_reason = ""
        subscriber.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])


def delivery_problem_record(
    *, email: str, kind: str, detail: str = "", now: dt.datetime | None = None
) -> bool:
    """Record a bounce or complaint; returns whether the address is now suspended.

    A hard bounce or a complaint suspends at once; soft bounces do after
    ``SOFT_BOUNCES_TO_SUSPEND`` within ``SOFT_BOUNCE_WINDOW``.
    """
    if kind not in ProblemKind.values:
        raise ValueError(f"unknown delivery problem {kind!r}")
    now = now or timezone.now()
    email = normalise_email(email)
    with transaction.atomic():
        DeliveryProblem.objects.create(email=email, kind=kind, detail=detail[:2000])
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            return False
        if kind == ProblemKind.SOFT_BOUNCE:
            recent = DeliveryProblem.objects.filter(
                email=email, kind=ProblemKind.SOFT_BOUNCE, created_at__gte=now - SOFT_BOUNCE_WINDOW
            ).count()
            if recent < SOFT_BOUNCES_TO_SUSPEND:
                return subscriber.is_suspended
        reason = (
            SuspensionReason.COMPLAINT if kind == ProblemKind.COMPLAINT else SuspensionReason.BOUNCE
        )
        subscriber_suspend(subscriber=subscriber, reason=reason, now=now)
    return True
