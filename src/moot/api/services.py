"""Writes of the api app: API key requests, approval, revocation and use.

The open-data export lives in ``moot.api.opendata.export``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from moot.api.errors import InvalidApiKey
from moot.api.keys import key_generate, key_hash, key_matches, key_prefix
from moot.api.models import ApiKey, ApiKeyState
from moot.core.errors import InvalidTransition
from moot.core.models import User

# A key's last use is written at most this often, so busy clients do not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_key_request(*, name: str, email: str, purpose: str) -> tuple[ApiKey, bool]:
    """Record a request for a key. Idempotent: while a request from the same address awaits
    approval, asking again updates it instead of adding another. Returns (key, created)."""
    with transaction.atomic():
        pending = (
            ApiKey.objects.select_for_update()
            .filter(
                email__iexact=email,
                approved_at__isnull=True,
                refused_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        if pending is not None:
            pending.name, pending.purpose = name, purpose
            pending.save(update_fields=["name", "purpose", "updated_at"])
            return pending, False
        api_key = ApiKey.objects.create(name=name, email=email, purpose=purpose)
    from moot.api.tasks import notify_key_request

    transaction.on_commit(lambda: notify_key_request.enqueue(api_key_id=api_key.pk))
    return api_key, True


def api_key_approvers() -> QuerySet[User]:
    """Active staff with an email address who may approve keys (the change permission on
    API keys, directly, through a group, or as superusers)."""
    can_change = {
        "permissions__codename": "change_apikey",
        "permissions__content_type__app_label": "api",
    }
    directly = {f"user_{name}": value for name, value in can_change.items()}
    by_group = {f"groups__{name}": value for name, value in can_change.items()}
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(**directly) | Q(**by_group))
        .distinct()
        .order_by("email")
    )


def _header_text(text: str) -> str:
    """Text fit for one line of an email header: every run of whitespace and control
    characters (line breaks above all, which would start a new header) becomes one space.
    The form refuses such names; this keeps older rows and admin edits from failing."""
    spaced = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(spaced.split())


def api_key_request_notify(*, api_key_id: int) -> int:
    """Tell the staff who can approve keys that a request is waiting. Sends nothing once the
    request has been dealt with (a retried task is harmless); returns how many were told."""
    api_key = ApiKey.objects.filter(pk=api_key_id).first()
    if api_key is None or api_key.state != ApiKeyState.REQUESTED:
        return 0
    approvers = [user.email for user in api_key_approvers()]
    if not approvers:
        return 0
    context = {
        "api_key": api_key,
        "admin_url": settings.SITE_URL + reverse("admin:api_apikey_change", args=[api_key.pk]),
    }
    EmailMessage(
        subject=f"API key requested by {_header_text(api_key.name)}",
        body=render_to_string("api/email/key_requested.txt", context),
        to=approvers,
    ).send()
    return len(approvers)


def api_key_issue(*, api_key: ApiKey, by: User | None) -> str:
    """Approve a requested key, or replace an active one (the old key stops working at once).

    Returns the new key: the only time it exists outside its holder's hands. Raises
    ``InvalidTransition`` for a refused or revoked key.
    """
    if api_key.state not in (ApiKeyState.REQUESTED, ApiKeyState.ACTIVE):
        raise InvalidTransition(f"A {api_key.state.label.lower()} key cannot be issued.")
    for _ in range(5):
        key, prefix = key_generate()
        try:
            with transaction.atomic():
                api_key.prefix = prefix
                api_key.key_hash = key_hash(key)
                if api_key.approved_at is None:
                    api_key.approved_at = timezone.now()
                    api_key.approved_by = by
                api_key.save()
        except IntegrityError:  # pragma: no cover - a 50-bit prefix collided
            continue
        return key
    raise RuntimeError("could not find an unused key prefix")  # pragma: no cover


def api_key_email(*, api_key: ApiKey, key: str) -> None:
    """Email the holder their key. Raises if the mail server refuses it."""
    context = {
        "api_key": api_key,
        "key": key,
        "docs_url": settings.SITE_URL + reverse("api:docs"),
    }
    EmailMessage(
        subject="Your moot API key",
        body=render_to_string("api/email/key_issued.txt", context),
        to=[api_key.email],
    ).send()


def api_key_issue_and_email(*, api_key: ApiKey, by: User | None) -> None:
    """Issue the key and email it, or neither: if the email cannot be sent, nothing changes."""
    with transaction.atomic():
        key = api_key_issue(api_key=api_key, by=by)
        api_key_email(api_key=api_key, key=key)


def api_key_refuse(*, api_key: ApiKey) -> None:
    if api_key.state != ApiKeyState.REQUESTED:
        raise InvalidTransition("Only a request awaiting approval can be refused.")
    api_key.refused_at = timezone.now()
    api_key.save(update_fields=["refused_at", "updated_at"])


def api_key_revoke(*, api_key: ApiKey) -> None:
    """Stop a key working for good. Idempotent."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])


def api_key_use(*, presented: str) -> ApiKey:
    """The active key ``presented`` is, noting when it was used; raises ``InvalidApiKey``."""
    prefix = key_prefix(presented)
    api_key = ApiKey.objects.filter(prefix=prefix).first() if prefix else None
    if api_key is None or not key_matches(presented=presented, stored_hash=api_key.key_hash):
        raise InvalidApiKey("The API key is not one this site issued.")
    if not api_key.is_active:
        # Only issued keys have a hash to match, so this one was revoked.
        raise InvalidApiKey("The API key has been revoked.")
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
