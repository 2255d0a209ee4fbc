"""Pages for asking for, confirming, managing and stopping alerts.

Every page reached from an email link carries a signed token in its address; none of them
sets or needs a cookie to work, and none shows anything about an address to someone who
has not proved they receive its email.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from moot.alerts import selectors, services
from moot.alerts.forms import AlertForm, AlertWordsForm, EmailForm, FrequencyForm
from moot.alerts.models import AlertKind, Frequency, ProblemKind, Subscriber
from moot.alerts.tokens import (
    LinkInvalid,
    confirm_request_id,
    manage_subscriber_id,
    manage_token,
    unsubscribe_target,
)
from moot.core.ratelimit import request_allowed

DEFAULT_REQUESTS_PER_HOUR = 20
View = Callable[..., HttpResponse]


def _requests_allowed(request: HttpRequest, *, scope: str) -> bool:
    limit = int(getattr(settings, "ALERTS_REQUESTS_PER_HOUR", DEFAULT_REQUESTS_PER_HOUR))
    return request_allowed(request, scope=scope, limit=limit)


def _private(view: View) -> View:
    """Pages reached through a personal link: never cached, never indexed."""

    uncached = never_cache(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = uncached(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def _link_invalid(request: HttpRequest, error: LinkInvalid) -> HttpResponse:
    return render(request, "alerts/link_invalid.html", {"message": str(error)}, status=400)


@require_http_methods(["GET", "POST"])
def alert_create(request: HttpRequest) -> HttpResponse:
    suggestion = selectors.alert_suggestion(parameters=request.GET.dict())
    form = AlertForm(request.POST or None, suggestion=suggestion)
    if request.method == "POST":
        if not _requests_allowed(request, scope="alerts-request"):
            return render(request, "alerts/rate_limited.html", status=429)
        if form.is_valid():
            try:
                services.alert_request(email=form.cleaned_data["email"], spec=form.spec())
            except services.AlertInvalid as error:
                form.add_error("query" if suggestion.is_search else "option", str(error))
            except services.EmailNotSent as error:
                form.add_error(None, str(error))
            else:
                return redirect("alerts:check_email")
    words = (form["query"].value() or "") if suggestion.is_search else ""
    context = {
        "form": form,
        "suggestion": suggestion,
        "preview": selectors.alert_preview(query=str(words)),
    }
    return render(request, "alerts/create.html", context)


def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/check_email.html")


@_private
@require_http_methods(["GET", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Following the link only shows a button: mail scanners open links, people press buttons.
    if request.method == "POST":
        try:
            alert = services.alert_confirm(token=token)
        except LinkInvalid as error:
            return _link_invalid(request, error)
        manage = reverse("alerts:manage", args=[manage_token(subscriber_id=alert.subscriber_id)])
        return render(request, "alerts/confirmed.html", {"alert": alert, "manage_url": manage})
    try:
        alert_request = selectors.alert_request_for_confirmation(
            request_id=confirm_request_id(token)
        )
    except LinkInvalid as error:
        return _link_invalid(request, error)
    if alert_request is None:
        return _link_invalid(request, LinkInvalid("This alert request has expired. Ask again."))
    return render(request, "alerts/confirm.html", {"alert_request": alert_request})


@require_http_methods(["GET", "POST"])
def manage_request(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if not _requests_allowed(request, scope="alerts-manage"):
            return render(request, "alerts/rate_limited.html", status=429)
        if form.is_valid():
            # The link is emailed by a task, so this answers alike for every address.
            services.manage_link_request(email=form.cleaned_data["email"])
            return redirect("alerts:manage_sent")
    return render(request, "alerts/manage_request.html", {"form": form})


def manage_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/manage_sent.html")


def _subscriber(token: str) -> Subscriber:
    subscriber = selectors.subscriber_for_manage(subscriber_id=manage_subscriber_id(token))
    if subscriber is None:
        raise LinkInvalid("There are no alerts for this address any more.")
    return subscriber


@_private
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = _subscriber(token)
    except LinkInvalid as error:
        return _link_invalid(request, error)
    context = {
        "subscriber": subscriber,
        "alerts": selectors.alerts_of(subscriber=subscriber),
        "token": token,
        "frequencies": Frequency.choices,
    }
    return render(request, "alerts/manage.html", context)


@_private
@require_POST
def manage_alert(request: HttpRequest, token: str, alert_id: int) -> HttpResponse:
    try:
        subscriber = _subscriber(token)
    except LinkInvalid as error:
        return _link_invalid(request, error)
    alert = subscriber.alerts.filter(id=alert_id).first()
    if alert is None:
        raise Http404("No such alert")
    action = request.POST.get("action", "")
    if action == "pause":
        services.alert_pause(alert=alert)
        messages.success(request, f"Paused: {alert.title}")
    elif action == "resume":
        services.alert_resume(alert=alert)
        messages.success(request, f"Started again: {alert.title}")
    elif action == "frequency" and (form := FrequencyForm(request.POST)).is_valid():
        services.alert_frequency_set(alert=alert, frequency=form.cleaned_data["frequency"])
        messages.success(request, f"{alert.get_frequency_display()}: {alert.title}")
    elif action == "delete":
        services.alert_delete(alert=alert)
        if not Subscriber.objects.filter(id=subscriber.id).exists():
            return render(request, "alerts/deleted_all.html")
        messages.success(request, f"Deleted: {alert.title}")
    return redirect("alerts:manage", token=token)


@_private
@require_http_methods(["GET", "POST"])
def manage_alert_edit(request: HttpRequest, token: str, alert_id: int) -> HttpResponse:
    """Change a search alert's words, seeing first what they find today."""
    try:
        subscriber = _subscriber(token)
    except LinkInvalid as error:
        return _link_invalid(request, error)
    alert = subscriber.alerts.filter(id=alert_id, kind=AlertKind.SEARCH).first()
    if alert is None:
        raise Http404("No such search alert")
    form = AlertWordsForm(request.POST or None, initial={"query": alert.query})
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "save":
        try:
            services.alert_query_change(alert=alert, query=form.cleaned_data["query"])
        except services.AlertInvalid as error:
            form.add_error("query", str(error))
        else:
            messages.success(request, f"Changed: {alert.title}")
            return redirect("alerts:manage", token=token)
    words = form.cleaned_data["query"] if form.is_bound and form.is_valid() else alert.query
    context = {
        "alert": alert,
        "form": form,
        "token": token,
        "preview": selectors.alert_preview(query=words),
    }
    return render(request, "alerts/edit.html", context, status=400 if form.errors else 200)


@_private
@require_http_methods(["GET", "POST"])
def manage_delete_all(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = _subscriber(token)
    except LinkInvalid as error:
        return _link_invalid(request, error)
    if request.method == "POST":
        services.subscriber_alerts_delete(subscriber=subscriber)
        return render(request, "alerts/deleted_all.html")
    return render(request, "alerts/delete_all.html", {"token": token})


@_private
@csrf_exempt  # RFC 8058: mail programs POST here with neither cookies nor a form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = unsubscribe_target(token)
    except LinkInvalid as error:
        return _link_invalid(request, error)
    # Once a request is confirmed, its confirmation email's link stops the alert it set up.
    context = {
        "target": target,
        "alert": selectors.alert_confirmed_from_request(request_id=target.request_id),
    }
    if request.method == "POST":
        services.unsubscribe(target=target)
        return render(request, "alerts/unsubscribed.html", context)
    # A GET never unsubscribes: link checkers and mail scanners fetch every link they see.
    return render(request, "alerts/unsubscribe.html", context)


@csrf_exempt
@require_POST
def delivery_problems(request: HttpRequest) -> HttpResponse:
    """Webhook for bounces and complaints: ``Authorization: Bearer <ALERTS_WEBHOOK_SECRET>``,
    a JSON body ``{"email": …, "kind": "hard_bounce"|"soft_bounce"|"complaint", "detail": …}``
    or a list of those. Off (404) unless the secret is set."""
    secret = getattr(settings, "ALERTS_WEBHOOK_SECRET", "")
    if not secret:
        raise Http404("Not enabled")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "not authorised"}, status=403)
    try:
        body = json.loads(request.body)
        reports = body if isinstance(body, list) else [body]
        problems = [
            (str(report["email"]), str(report["kind"]), str(report.get("detail", "")))
            for report in reports
        ]
    except (ValueError, TypeError, KeyError):
        return JsonResponse({"error": "expected JSON with email and kind"}, status=400)
    if any(kind not in ProblemKind.values for _, kind, _ in problems):
        return JsonResponse({"error": f"kind must be one of {ProblemKind.values}"}, status=400)
    suspended = [
        services.delivery_problem_record(email=email, kind=kind, detail=detail)
        for email, kind, detail in problems
    ]
    return JsonResponse({"recorded": len(problems), "suspended": sum(suspended)})
