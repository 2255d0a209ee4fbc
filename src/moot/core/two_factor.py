"""Two-factor sign-in for staff: time-based one-time codes (RFC 6238) and recovery codes,
and a lockout after repeated failures.

Codes come from any authenticator app. Each code works once (the last time step used is
stored), and codes from one step either side of now are accepted to allow for clock drift.
Recovery codes are stored hashed and work once each.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
import time
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from moot.core.models import RecoveryCode, TwoFactorDevice, User

STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODE_COUNT = 10
ISSUER = "moot"


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(*, secret: str, step: int) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _matching_step(*, secret: str, code: str, now: float | None = None) -> int | None:
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(code_at(secret=secret, step=candidate), code):
            return candidate
    return None


def provisioning_uri(*, user: User, secret: str) -> str:
    label = quote(f"{ISSUER}:{user.get_username()}")
    return (
        f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}"
        f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )


def qr_code_svg(data: str) -> str:
    """The data as an SVG QR code, to show beside the secret for typing in by hand."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def device_confirmed(*, user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def device_confirm(*, user: User, secret: str, code: str) -> list[str] | None:
    """Confirm enrolment with a first code. Returns the recovery codes (shown once), or None
    if the code is wrong."""
    step = _matching_step(secret=secret, code=code)
    if step is None:
        return None
    TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": step},
    )
    RecoveryCode.objects.filter(user=user).delete()
    codes = ["-".join(secrets.token_hex(2) for _ in range(4)) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


def _recovery_hash(code: str) -> str:
    # Recovery codes are 64 random bits, not chosen by people, so a keyed hash is enough
    # (a slow password hash would only slow down every sign-in that uses one).
    key = hashlib.sha256(f"moot-recovery-code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code.strip().lower().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def code_verify(*, user: User, code: str) -> bool:
    """Check a one-time code or a recovery code; each works once."""
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        return False
    step = _matching_step(secret=device.secret, code=code)
    if step is not None:
        if step <= device.last_used_step:
            return False  # a replayed code
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    used = RecoveryCode.objects.filter(
        user=user, used_at=None, code_hash=_recovery_hash(code)
    ).update(used_at=timezone.now())
    return used == 1


def device_reset(*, user: User) -> None:
    """Remove a member of staff's second factor so that they enrol again (an admin action)."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


# Lockout: counts of failed attempts in the cache, per account and per client address.


def _failure_key(identity: str) -> str:
    return f"login-failures:{hashlib.sha256(identity.encode()).hexdigest()}"


def login_locked(*, identities: list[str]) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(_failure_key(identity)) or 0) >= limit for identity in identities)


def login_failed(*, identities: list[str]) -> None:
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    for identity in identities:
        key = _failure_key(identity)
        if not cache.add(key, 1, timeout=timeout):
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, 1, timeout=timeout)


def login_succeeded(*, identities: list[str]) -> None:
    cache.delete_many([_failure_key(identity) for identity in identities])
