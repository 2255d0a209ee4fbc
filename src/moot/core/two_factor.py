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
from django.db import transaction
from django.utils import timezone

from moot.core.models import RecoveryCode, TwoFactorDevice, User
from moot.core.ratelimit import counter_give_back, counter_hit, counters_clear, ip_hash

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


# Lockout. django-axes does this job elsewhere, but it has one failure limit for every
# lockout parameter (so an address lock would come at the same 5 failures as an account one,
# locking out a whole office), checks before it counts (so parallel guesses all pass the
# check), and would need its backend, middleware and hand-sent signals for the code step.
#
# Attempts are counted in core.ratelimit's shared counters (one count for every process),
# per account *at* a client address and per address, *before* the password or code is
# checked, and given back when it was right: so however many requests run at once, no more
# than the limit are ever checked. An account is locked only at the address its failures
# came from, so no one can lock an administrator out from elsewhere; an address failing
# across many accounts is locked at LOGIN_ADDRESS_FAILURE_LIMIT.


def _attempt_keys(*, username: str, address: str) -> tuple[str, str]:
    where = ip_hash(address, purpose="staff-sign-in")
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failures:account:{account}:{where}", f"login-failures:address:{where}"


def login_attempt_allowed(*, username: str, address: str) -> bool:
    """Count an attempt to sign in as ``username`` from ``address`` (a password or a code);
    False when the account at that address, or the address, is locked out. A lockout lasts
    LOGIN_LOCKOUT_SECONDS from the first failure it counts."""
    account_key, address_key = _attempt_keys(username=username, address=address)
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    account = counter_hit(key=account_key, timeout=timeout)
    at_address = counter_hit(key=address_key, timeout=timeout)
    return (
        account <= settings.LOGIN_FAILURE_LIMIT
        and at_address <= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )


def login_attempt_passed(*, username: str, address: str) -> None:
    """The attempt just counted was right (a correct password): it is not a failure."""
    for key in _attempt_keys(username=username, address=address):
        counter_give_back(key=key)


def login_succeeded(*, username: str, address: str) -> None:
    """Signed in: the account's failures at this address are forgotten. The address's stay:
    one good sign-in must not let an address go on guessing other accounts' passwords."""
    account_key, _ = _attempt_keys(username=username, address=address)
    counters_clear(keys=[account_key])
