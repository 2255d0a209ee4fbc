"""Building moot's alert emails: each has a text and an HTML part, and one-click unsubscribe.

Every email carries ``List-Unsubscribe`` (an HTTPS link) and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` (RFC 8058), so mail programs can offer "Unsubscribe" that works
with one POST and no cookies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from moot.alerts.models import Alert, AlertKind, AlertMatch, AlertRequest, Digest, Subscriber
from moot.alerts.tokens import (
    UnsubscribeTarget,
    confirm_token,
    manage_token,
    unsubscribe_token,
)

ITEMS_PER_ALERT = 10


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(target: UnsubscribeTarget) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(target)]))


def manage_url(*, subscriber: Subscriber) -> str:
    return absolute_url(reverse("alerts:manage", args=[manage_token(subscriber_id=subscriber.id)]))


def new_message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<alerts.{uuid.uuid4().hex}@{domain}>"


def _message(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    unsubscribe: UnsubscribeTarget,
    message_id: str | None = None,
) -> EmailMultiAlternatives:
    stop_url = unsubscribe_url(unsubscribe)
    context = {**context, "unsubscribe_url": stop_url, "site_url": settings.SITE_URL}
    headers = {
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "Message-ID": message_id or new_message_id(),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"alerts/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"alerts/email/{template}.html", context), "text/html"
    )
    return message


def confirm_email(*, request: AlertRequest) -> EmailMultiAlternatives:
    url = absolute_url(reverse("alerts:confirm", args=[confirm_token(request_id=request.id)]))
    return _message(
        to=request.email,
        subject="Confirm your moot email alert",
        template="confirm",
        context={"request": request, "confirm_url": url},
        unsubscribe=UnsubscribeTarget(request_id=request.id),
    )


def already_subscribed_email(*, alert: Alert) -> EmailMultiAlternatives:
    subscriber = alert.subscriber
    return _message(
        to=subscriber.email,
        subject="You already have this moot email alert",
        template="already",
        context={"alert": alert, "manage_url": manage_url(subscriber=subscriber)},
        unsubscribe=UnsubscribeTarget(subscriber_id=subscriber.id, alert_id=alert.id),
    )


def manage_link_email(*, subscriber: Subscriber) -> EmailMultiAlternatives:
    return _message(
        to=subscriber.email,
        subject="Manage your moot email alerts",
        template="manage_link",
        context={"manage_url": manage_url(subscriber=subscriber)},
        unsubscribe=UnsubscribeTarget(subscriber_id=subscriber.id),
    )


@dataclass(frozen=True)
class DigestSection:
    alert: Alert
    matches: list[AlertMatch]
    more: int
    more_url: str
    stop_url: str


def digest_sections(*, matches: list[AlertMatch]) -> list[DigestSection]:
    by_alert: dict[int, list[AlertMatch]] = {}
    alerts: dict[int, Alert] = {}
    for match in matches:
        by_alert.setdefault(match.alert_id, []).append(match)
        alerts[match.alert_id] = match.alert
    sections = []
    for alert_id, found in by_alert.items():
        alert = alerts[alert_id]
        found.sort(key=lambda match: (match.date, match.id), reverse=True)
        more_url = ""
        if alert.kind == AlertKind.SEARCH:
            more_url = absolute_url(reverse("search:search") + "?q=" + quote(alert.query))
        sections.append(
            DigestSection(
                alert=alert,
                matches=found[:ITEMS_PER_ALERT],
                more=max(len(found) - ITEMS_PER_ALERT, 0),
                more_url=more_url,
                stop_url=unsubscribe_url(
                    UnsubscribeTarget(subscriber_id=alert.subscriber_id, alert_id=alert.id)
                ),
            )
        )
    return sections


def digest_email(*, digest: Digest, matches: list[AlertMatch]) -> EmailMultiAlternatives:
    """The digest for one address: every alert's new matches, newest first."""
    subscriber = digest.subscriber
    sections = digest_sections(matches=matches)
    if len(sections) == 1:
        subject = f"moot alert: {len(matches)} new for {sections[0].alert.title}"
        if len(matches) == 1:
            subject = f"moot alert: {matches[0].title}"
    else:
        subject = f"moot alerts: {len(matches)} new items for {len(sections)} of your alerts"
    return _message(
        to=subscriber.email,
        subject=subject[:200],
        template="digest",
        context={
            "sections": sections,
            "manage_url": manage_url(subscriber=subscriber),
            "total": len(matches),
        },
        unsubscribe=UnsubscribeTarget(subscriber_id=subscriber.id),
        message_id=digest.message_id,
    )
