"""Staff sign-in in two steps — password, then a one-time code — with lockout and audit.

The password step only remembers (in the session, for a few minutes) who has proved their
password; the user is signed in by the code step. Members of staff without an authenticator
set one up before they are signed in. Django's admin sends its sign-in here too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import auth
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from moot.core import two_factor
from moot.core.audit import audit_record
from moot.core.models import AuditAction, User
from moot.core.permissions import is_staff_member
from moot.core.ratelimit import client_ip

View = Callable[..., Any]


def staff_required(view: View) -> View:
    """Send anyone who is not signed-in, active staff to the staff sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not is_staff_member(request.user):
            login = reverse("core:staff_login")
            return redirect(f"{login}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


PENDING = "moot_two_factor_pending"
ENROLMENT_SECRET = "moot_two_factor_secret"  # noqa: S105 - a session key, not a secret
PENDING_SECONDS = 300
LOCKED_MESSAGE = (
    "There have been too many failed attempts to sign in. Wait 15 minutes and try again, or "
    "ask an administrator to help."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("consultations:staff_consultations")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True, is_staff=True).first()


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    pending = request.session.pop(PENDING)
    next_url = pending.get("next") or reverse("consultations:staff_consultations")
    auth.login(request, user, backend=pending["backend"])
    two_factor.login_succeeded(username=user.get_username(), address=client_ip(request))
    audit_record(request=request, action=AuditAction.SIGN_IN)
    return redirect(next_url)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def staff_login(request: HttpRequest) -> HttpResponse:
    if is_staff_member(request.user):
        return redirect(_next_url(request))
    form = AuthenticationForm(request, data=request.POST or None)
    locked = False
    if request.method == "POST":
        username = request.POST.get("username", "")
        attempt = {"username": username, "address": client_ip(request)}
        locked = not two_factor.login_attempt_allowed(**attempt)
        if locked:
            form = AuthenticationForm(request)  # don't even check the password
        elif form.is_valid() and is_staff_member(form.get_user()):
            two_factor.login_attempt_passed(**attempt)
            user = form.get_user()
            request.session.cycle_key()
            request.session[PENDING] = {
                "user_id": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": _next_url(request),
            }
            if two_factor.device_confirmed(user=user):
                return redirect("core:staff_login_code")
            return redirect("core:staff_two_factor_setup")
        else:
            audit_record(request=request, action=AuditAction.SIGN_IN_FAILED, username=username)
            if form.is_valid():  # a correct password, but not a member of staff
                form.add_error(None, "This account cannot sign in to the staff pages.")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staff/login.html",
        {
            "form": form,
            "next": _next_url(request),
            "locked_message": LOCKED_MESSAGE if locked else "",
        },
        status=429 if locked else status,
    )


@csrf_protect
@never_cache
def staff_login_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("core:staff_login")
    form = CodeForm(request.POST or None)
    attempt = {"username": user.get_username(), "address": client_ip(request)}
    if request.method == "POST":
        if not two_factor.login_attempt_allowed(**attempt):
            request.session.pop(PENDING, None)
            return render(
                request,
                "staff/login.html",
                {"form": AuthenticationForm(request), "locked_message": LOCKED_MESSAGE},
                status=429,
            )
        if form.is_valid() and two_factor.code_verify(user=user, code=form.cleaned_data["code"]):
            two_factor.login_attempt_passed(**attempt)
            return _finish(request, user)
        audit_record(
            request=request,
            action=AuditAction.SIGN_IN_FAILED,
            username=user.get_username(),
            detail={"step": "code"},
        )
        if form.is_valid():
            form.add_error(
                "code", "The code is not right, or has been used already. Try the next one."
            )
    return render(
        request, "staff/login_code.html", {"form": form}, status=400 if form.errors else 200
    )


@csrf_protect
@never_cache
def staff_two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("core:staff_login")
    if two_factor.device_confirmed(user=user):
        return redirect("core:staff_login_code")
    secret = request.session.get(ENROLMENT_SECRET) or two_factor.new_secret()
    request.session[ENROLMENT_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.device_confirm(user=user, secret=secret, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(ENROLMENT_SECRET, None)
            response = _finish(request, user)
            return render(
                request, "staff/recovery_codes.html", {"codes": codes, "next": response["Location"]}
            )
        form.add_error("code", "The code is not right. Check your device's clock and try again.")
    uri = two_factor.provisioning_uri(user=user, secret=secret)
    context: dict[str, Any] = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_code": mark_safe(two_factor.qr_code_svg(uri)),  # noqa: S308 - generated by qrcode
    }
    return render(
        request, "staff/two_factor_setup.html", context, status=400 if form.errors else 200
    )


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("core:staff_login")


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's sign-in page is the staff one, with its second factor."""
    target = reverse("core:staff_login")
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{target}?next={next_url}")
