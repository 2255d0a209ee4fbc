"""Asking for, confirming, changing and stopping alerts.

Nothing a visitor sees depends on whether an address already has alerts: every request
ends on the same page, and what differs goes only to the address itself, by email.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from moot.alerts import emails, tasks
from moot.alerts.models import (
    CONSULTATION_KINDS,
    Alert,
    AlertConfirmation,
    AlertKind,
    AlertRequest,
    Frequency,
    Subscriber,
    SuspensionReason,
)
from moot.alerts.selectors import consultation_closing_reminder_possible
from moot.alerts.tokens import (
    CONFIRM_MAX_AGE,
    LinkInvalid,
    UnsubscribeTarget,
    confirm_request_id,
)
from moot.consultations.models import Consultation, Document
from moot.core.errors import MootError
from moot.core.models import Department
from moot.core.ratelimit import email_address_allows
from moot.search.query import QuerySyntaxError, parse, to_text

logger = logging.getLogger(__name__)

# Emails one address can be sent on request (confirmations, management links) per hour:
# stops anyone using moot to flood someone else's inbox.
EMAILS_PER_ADDRESS_PER_HOUR = 5
# Suspensions that the owner of the address lifts by confirming a new alert.
LIFTED_BY_CONFIRMING = (SuspensionReason.BOUNCE, SuspensionReason.COMPLAINT)


class AlertInvalid(MootError):
    """An alert that cannot be set up as asked (an unreadable search, a closed consultation)."""


class EmailNotSent(MootError):
    """The mail server could not take the email just now."""


@dataclass(frozen=True)
class AlertSpec:
    """What an alert is about: a search query, or an event of one consultation or of every
    consultation of a department."""

    kind: str
    query: str = ""
    consultation: Consultation | None = None
    department: Department | None = None
    description: str = ""
    frequency: str = Frequency.IMMEDIATE
    document: Document | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def alert_spec_clean(*, spec: AlertSpec, now: dt.datetime | None = None) -> AlertSpec:
    """The spec with its query normalised; raises ``AlertInvalid`` with a reason to show."""
    now = now or timezone.now()
    if spec.frequency not in Frequency.values:
        raise AlertInvalid("Choose how often to get the alert.")
    if spec.kind == AlertKind.SEARCH:
        try:
            query = to_text(parse(spec.query))
        except QuerySyntaxError as error:
            raise AlertInvalid(str(error)) from None
        if len(query) > Alert._meta.get_field("query").max_length:  # type: ignore[operator]
            raise AlertInvalid("That search is too long for an alert.")
        return AlertSpec(
            kind=spec.kind,
            query=query,
            description=spec.description,
            frequency=spec.frequency,
        )
    consultation = spec.consultation
    if spec.kind == AlertKind.POLICY:
        if (consultation is None) == (spec.document is None):
            raise AlertInvalid("Choose the policy to be alerted about.")
        if consultation is not None and consultation.published_at is None:
            raise AlertInvalid("That consultation is not published.")
        return AlertSpec(
            kind=spec.kind,
            consultation=consultation,
            document=spec.document,
            frequency=spec.frequency,
        )
    if spec.kind in CONSULTATION_KINDS and consultation is None and spec.department is not None:
        return AlertSpec(kind=spec.kind, department=spec.department, frequency=spec.frequency)
    if spec.kind not in CONSULTATION_KINDS or consultation is None:
        raise AlertInvalid("Choose what to be alerted about.")
    if consultation.published_at is None:
        raise AlertInvalid("That consultation is not published.")
    if spec.kind == AlertKind.CLOSING and not consultation_closing_reminder_possible(
        consultation=consultation, now=now
    ):
        raise AlertInvalid(
            "This consultation closes within 7 days, so there is no reminder to send."
        )
    if spec.kind == AlertKind.OUTCOME and consultation.outcome_published_at is not None:
        raise AlertInvalid("The outcome of this consultation is already published.")
    return AlertSpec(kind=spec.kind, consultation=consultation, frequency=spec.frequency)


def _existing_alert(*, subscriber: Subscriber | None, spec: AlertSpec) -> Alert | None:
    if subscriber is None:
        return None
    alerts = subscriber.alerts.select_related(
        "subscriber", "consultation", "department", "document"
    )
    alerts = alerts.filter(kind=spec.kind)
    if spec.kind == AlertKind.SEARCH:
        return alerts.filter(query=spec.query).first()
    if spec.document is not None:
        return alerts.filter(document=spec.document).first()
    if spec.department is not None:
        return alerts.filter(department=spec.department).first()
    return alerts.filter(consultation=spec.consultation).first()


def _address_allows_email(email: str) -> bool:
    return email_address_allows(
        email=email, scope="alerts-address", limit=EMAILS_PER_ADDRESS_PER_HOUR
    )


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("could not send an alert email: %s", error)
        raise EmailNotSent(
            "We could not send the email just now. Please try again in a few minutes."
        ) from error


def alert_request(*, email: str, spec: AlertSpec, now: dt.datetime | None = None) -> None:
    """Ask for an alert: emails a confirmation link, or says the address already has it.

    Returns the same way in every case, so the caller can show one page whatever the
    address's alerts are. Addresses suspended by staff, and addresses over their hourly
    limit, are sent nothing. Raises ``AlertInvalid`` for a spec that cannot be an alert and
    ``EmailNotSent`` when the mail server is unavailable.
    """
    email = normalise_email(email)
    spec = alert_spec_clean(spec=spec, now=now)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.suspension_reason == SuspensionReason.ADMIN:
        return
    if not _address_allows_email(email):
        return
    existing = _existing_alert(subscriber=subscriber, spec=spec)
    if existing is not None:
        _send(emails.already_subscribed_email(alert=existing))
        return
    request = AlertRequest.objects.create(
        email=email,
        kind=spec.kind,
        query=spec.query,
        description=spec.description[:300],
        consultation=spec.consultation,
        department=spec.department,
        document=spec.document,
        frequency=spec.frequency,
    )
    _send(emails.confirm_email(request=request))


def alert_confirm(*, token: str, now: dt.datetime | None = None) -> Alert:
    """Set up the alert a confirmation link asked for. Idempotent: following the link again
    returns the same alert. Raises ``LinkInvalid`` for a bad, expired or cancelled link."""
    now = now or timezone.now()
    request_id = confirm_request_id(token)
    with transaction.atomic():
        request = (
            AlertRequest.objects.select_for_update(of=("self",))
            .select_related("consultation", "department", "document")
            .filter(id=request_id)
            .first()
        )
        if request is None:
            raise LinkInvalid(
                "This alert request has expired or been cancelled. Ask for the alert again."
            )
        subscriber, _ = Subscriber.objects.get_or_create(
            email=request.email, defaults={"daily_sent_at": now}
        )
        if subscriber.suspension_reason in LIFTED_BY_CONFIRMING:
            # Following a link from an email proves the address now receives moot's email.
            subscriber.suspended_at = None
            subscriber.suspension_reason = ""
            subscriber.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
        lookup = {"subscriber": subscriber, "kind": request.kind}
        if request.kind == AlertKind.SEARCH:
            lookup["query"] = request.query
        elif request.department is not None:
            lookup["department"] = request.department
        elif request.document is not None:
            lookup["document"] = request.document
        else:
            lookup["consultation"] = request.consultation
        try:
            with transaction.atomic():
                alert, _ = Alert.objects.get_or_create(
                    **lookup,
                    defaults={
                        "description": request.description,
                        "frequency": request.frequency,
                    },
                )
        except IntegrityError:  # confirmed twice at the same moment
            alert = Alert.objects.get(**lookup)
        AlertConfirmation.objects.get_or_create(
            request_id=request.id, defaults={"alert": alert, "confirmed_at": now}
        )
        if request.confirmed_at is None:
            request.confirmed_at = now
            request.save(update_fields=["confirmed_at"])
    return alert


def alert_requests_purge(*, now: dt.datetime | None = None) -> int:
    """Forget requests whose confirmation link has expired. Returns how many."""
    cutoff = (now or timezone.now()) - CONFIRM_MAX_AGE
    deleted, _ = AlertRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def manage_link_request(*, email: str) -> None:
    """Ask for a link to manage the address's alerts.

    Does the same work whatever the address: it counts against the address's hourly limit
    and, within it, queues ``manage_link_send`` once the transaction commits. Nothing here
    looks at the address's alerts, so how long the request takes says nothing about them.
    """
    email = normalise_email(email)
    if not _address_allows_email(email):
        return
    transaction.on_commit(lambda: tasks.send_manage_link.enqueue(email=email))


def manage_link_send(*, email: str) -> bool:
    """Email the management link, if the address has alerts and staff have not suspended it.

    Returns whether it was sent; raises ``EmailNotSent`` if the mail server refused it.
    """
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None or not subscriber.alerts.exists():
        return False
    if subscriber.suspension_reason == SuspensionReason.ADMIN:
        return False
    _send(emails.manage_link_email(subscriber=subscriber))
    return True


def manage_link_tasks_purge(*, now: dt.datetime | None = None) -> int:
    """Forget finished management-link tasks, which hold the address they were asked for
    (any address, subscribed or not), an hour after they ran. Returns how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - dt.timedelta(hours=1)
    deleted, _ = DBTaskResult.objects.filter(
        task_path=tasks.send_manage_link.module_path,
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    ).delete()
    return deleted


def alert_pause(*, alert: Alert, now: dt.datetime | None = None) -> None:
    if alert.paused_at is None:
        alert.paused_at = now or timezone.now()
        alert.save(update_fields=["paused_at", "updated_at"])


def alert_resume(*, alert: Alert) -> None:
    if alert.paused_at is not None:
        alert.paused_at = None
        alert.save(update_fields=["paused_at", "updated_at"])


def alert_frequency_set(*, alert: Alert, frequency: str) -> None:
    if frequency not in Frequency.values:
        raise AlertInvalid("Choose how often to get the alert.")
    if alert.frequency != frequency:
        alert.frequency = frequency
        alert.save(update_fields=["frequency", "updated_at"])


def _forget_if_empty(subscriber: Subscriber) -> None:
    # An address with no alerts left is forgotten, unless it is kept to stay suspended.
    Subscriber.objects.filter(
        id=subscriber.id, suspended_at__isnull=True, alerts__isnull=True
    ).delete()


def alert_delete(*, alert: Alert) -> None:
    subscriber = alert.subscriber
    with transaction.atomic():
        alert.delete()
        _forget_if_empty(subscriber)


def subscriber_alerts_delete(*, subscriber: Subscriber) -> None:
    """Delete every alert of the address, and the address itself unless it is suspended."""
    with transaction.atomic():
        subscriber.alerts.all().delete()
        _forget_if_empty(subscriber)


def unsubscribe(*, target: UnsubscribeTarget) -> None:
    """Stop what an unsubscribe link names: a request not yet confirmed is cancelled; once
    confirmed, the link in its confirmation email stops the alert it set up. Idempotent:
    stopping twice is not an error."""
    if target.request_id is not None:
        with transaction.atomic():
            AlertRequest.objects.filter(id=target.request_id, confirmed_at__isnull=True).delete()
            confirmation = (
                AlertConfirmation.objects.select_related("alert__subscriber")
                .filter(request_id=target.request_id)
                .first()
            )
            if confirmation is not None:
                alert_delete(alert=confirmation.alert)
        return
    if target.subscriber_id is None:
        return
    subscriber = Subscriber.objects.filter(id=target.subscriber_id).first()
    if subscriber is None:
        return
    if target.alert_id is None:
        subscriber_alerts_delete(subscriber=subscriber)
        return
    alert = subscriber.alerts.filter(id=target.alert_id).first()
    if alert is not None:
        alert_delete(alert=alert)


def alert_query_change(*, alert: Alert, query: str) -> Alert:
    """Change the words of a search alert. From now on new items are matched against the new
    words; what was sent before is not sent again. Refuses with ``AlertInvalid`` words that
    cannot be read, and words another alert of the same address already has."""
    if alert.kind != AlertKind.SEARCH:
        raise AlertInvalid("Only a search alert has words to change.")
    spec = alert_spec_clean(spec=AlertSpec(kind=AlertKind.SEARCH, query=query))
    if spec.query == alert.query:
        return alert
    clash = alert.subscriber.alerts.filter(kind=AlertKind.SEARCH, query=spec.query)
    if clash.exclude(id=alert.id).exists():
        raise AlertInvalid("You already have an alert for that search.")
    try:
        with transaction.atomic():
            alert.query = spec.query
            # The description said what the old words were about (a question's heading).
            alert.description = ""
            alert.save(update_fields=["query", "description", "updated_at"])
    except IntegrityError:
        raise AlertInvalid("You already have an alert for that search.") from None
    return alert
