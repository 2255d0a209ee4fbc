"""The signed links in alert emails.

Links carry ids, never email addresses, so addresses do not end up in web server logs.
Confirmation and management links expire; unsubscribe links never do, because people use
them from old emails (and all they can do is stop email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from moot.core.errors import MootError

CONFIRM_MAX_AGE = dt.timedelta(days=3)
MANAGE_MAX_AGE = dt.timedelta(days=7)
_CONFIRM_SALT = "moot.alerts.confirm"
_MANAGE_SALT = "moot.alerts.manage"
_UNSUBSCRIBE_SALT = "moot.alerts.unsubscribe"


class LinkInvalid(MootError):
    """A link from an email that is broken, altered or too old."""


def confirm_token(*, request_id: int) -> str:
    return signing.dumps({"r": request_id}, salt=_CONFIRM_SALT)


def _expiring_id(token: str, *, salt: str, max_age: dt.timedelta, key: str, expired: str) -> int:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        return int(data[key])
    except signing.SignatureExpired:
        raise LinkInvalid(expired) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid(_BROKEN) from None


def confirm_request_id(token: str) -> int:
    return _expiring_id(
        token,
        salt=_CONFIRM_SALT,
        max_age=CONFIRM_MAX_AGE,
        key="r",
        expired="This confirmation link has expired. Ask for the alert again to get a new one.",
    )


def manage_token(*, subscriber_id: int) -> str:
    return signing.dumps({"s": subscriber_id}, salt=_MANAGE_SALT)


def manage_subscriber_id(token: str) -> int:
    return _expiring_id(
        token,
        salt=_MANAGE_SALT,
        max_age=MANAGE_MAX_AGE,
        key="s",
        expired="This link to manage your alerts has expired. Ask for a new one below.",
    )


@dataclass(frozen=True)
class UnsubscribeTarget:
    """Every alert of a subscriber, one alert, or an unconfirmed request."""

    subscriber_id: int | None = None
    alert_id: int | None = None
    request_id: int | None = None


def unsubscribe_token(target: UnsubscribeTarget) -> str:
    data = {
        key: value
        for key, value in (
            ("s", target.subscriber_id),
            ("a", target.alert_id),
            ("r", target.request_id),
        )
        if value is not None
    }
    return signing.dumps(data, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_target(token: str) -> UnsubscribeTarget:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        return UnsubscribeTarget(
            subscriber_id=_optional_int(data.get("s")),
            alert_id=_optional_int(data.get("a")),
            request_id=_optional_int(data.get("r")),
        )
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        raise LinkInvalid(_BROKEN) from None


def _optional_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


_BROKEN = (
    "This link is not complete or has been changed. Copy the whole link from the email, "
    "or ask for a new one."
)
