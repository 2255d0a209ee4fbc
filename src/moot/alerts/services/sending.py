"""Finding what is new for each alert, and sending each address one digest.

A run has three steps, each safe to stop at any point and run again:

1. **Match.** Items saved since the cursor (less a look-back, so a slow transaction that
   commits late is still seen) are matched against every active alert at once. Each match
   is stored as an ``AlertMatch`` row, unique per (alert, item): an item can never be sent
   twice for one alert, however often it is seen. The cursor moves once all are stored.
2. **Queue.** Each address with matches that are due (immediate alerts now; daily alerts
   once a day) gets one ``Digest`` — the outbox row — and its matches are attached to it,
   in one transaction. An address whose earlier digest is still waiting gets the new
   matches added to that one instead, so it is never sent two emails in one run.
3. **Deliver.** Each waiting digest is claimed for a while, sent, and marked sent. A run
   that stops before sending leaves the digest waiting for the next run; one that stops
   after the mail server took the email but before marking it sends it again when the
   claim lapses, with the same ``Message-ID``, so the rare duplicate can be recognised.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format

from moot.alerts import emails, selectors
from moot.alerts.matching import AlertMatcher
from moot.alerts.models import (
    Alert,
    AlertKind,
    AlertMatch,
    Digest,
    DigestState,
    Frequency,
    ItemCursor,
    ProblemKind,
    Subscriber,
)
from moot.alerts.services.problems import delivery_problem_record
from moot.alerts.snippets import SnippetMaker, wanted_terms

logger = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(hours=1)
CLAIM_LEASE = dt.timedelta(minutes=10)
CURSOR = "items"
ITEMS_PER_SLICE = 200
DEFAULT_DAILY_HOUR = 7


@dataclass
class SendReport:
    items: int = 0
    matches: int = 0
    digests_queued: int = 0
    emails_sent: int = 0
    failures: int = 0

    def __str__(self) -> str:
        return (
            f"{self.items} new or changed items, {self.matches} new matches, "
            f"{self.digests_queued} digests queued, {self.emails_sent} emails sent"
            + (f", {self.failures} could not be sent (will retry)" if self.failures else "")
        )


# --- 1. match ----------------------------------------------------------------------------

_matcher_cache: dict[str, AlertMatcher] = {}
# Rebuild from scratch once this many compiled alerts are excluded (deleted or paused).
REBUILD_WHEN_EXCLUDED = 1000
REBUILD_WHEN_EXCLUDED_SHARE = 0.25


def search_alert_matcher() -> AlertMatcher:
    """A matcher for every active search alert, kept between runs in this process.

    Compiling a million alerts takes a while, so the matcher is updated rather than rebuilt:
    alerts added since are compiled and added (an alert's query never changes), and alerts
    deleted, paused or suspended since are excluded from its matches.
    """
    active = Alert.objects.filter(
        kind=AlertKind.SEARCH, paused_at__isnull=True, subscriber__suspended_at__isnull=True
    )
    active_ids = np.fromiter(active.values_list("id", flat=True).iterator(), dtype=np.int64)
    matcher = _matcher_cache.get("search")
    compiled = matcher.alert_ids if matcher is not None else np.zeros(0, dtype=np.int64)
    gone = np.setdiff1d(compiled, active_ids)
    limit = max(REBUILD_WHEN_EXCLUDED, REBUILD_WHEN_EXCLUDED_SHARE * len(compiled))
    if matcher is None or len(gone) > limit:
        matcher, compiled, gone = AlertMatcher(), compiled[:0], gone[:0]
    new_ids = np.setdiff1d(active_ids, compiled).tolist()
    new_alerts: list[tuple[int, str]] = []
    for start in range(0, len(new_ids), 5000):
        chunk = new_ids[start : start + 5000]
        new_alerts.extend(Alert.objects.filter(id__in=chunk).values_list("id", "query"))
    for alert_id in matcher.extend(new_alerts):  # saved under an older query language
        logger.warning("alert %s has a query that no longer parses: skipped", alert_id)
    matcher.exclude(gone.tolist())
    _matcher_cache["search"] = matcher
    return matcher


def _alerts_by_id(ids: list[int]) -> dict[int, Alert]:
    found: dict[int, Alert] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(
            (alert.id, alert)
            for alert in Alert.objects.filter(id__in=chunk).only("id", "query", "created_at")
        )
    return found


def _search_matches(
    *, matcher: AlertMatcher, items: list[selectors.NewItem], now: dt.datetime
) -> list[AlertMatch]:
    if not items or not matcher.alert_count:
        return []
    found = matcher.match([item.document for item in items])
    alerts = _alerts_by_id(sorted(set(found.alert_ids.tolist())))
    snippets = SnippetMaker()
    rows = []
    for alert_id, index in found.pairs():
        alert = alerts.get(alert_id)
        item = items[index]
        if alert is None or item.news_at <= alert.created_at:
            continue  # news from before the alert existed is not news to it
        document = item.document
        rows.append(
            AlertMatch(
                alert_id=alert_id,
                item_key=document.key,
                title=document.title[:300],
                url=document.url[:500],
                date=document.date,
                snippet=snippets.snippet(
                    key=document.key, text=document.body, terms=wanted_terms(alert.query)
                ),
                matched_at=now,
            )
        )
    return rows


def _consultation_matches(*, now: dt.datetime) -> list[AlertMatch]:
    rows = []
    for event in selectors.consultation_events(now=now):
        consultation = event.consultation
        if event.item_key.startswith(AlertKind.CLOSING):
            closes = timezone.localtime(consultation.closes_at)
            snippet = (
                f"This consultation closes at {date_format(closes, 'P')} on "
                f"{date_format(closes, 'j F Y')}. Respond before then to have your say."
            )
            day = closes.date()
        else:
            snippet = "The outcome of this consultation has been published."
            day = timezone.localtime(event.news_at).date()
        rows.append(
            AlertMatch(
                alert_id=event.alert_id,
                item_key=event.item_key,
                title=consultation.title[:300],
                url=consultation.get_absolute_url(),
                date=day,
                snippet=snippet,
                matched_at=now,
            )
        )
    return rows


def alerts_match_new_items(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Step 1: record every new (alert, item) match. Returns (items looked at, new matches).

    Idempotent: matches already recorded are left alone, so a rerun records nothing twice,
    and the cursor only moves once every match is stored.
    """
    now = now or timezone.now()
    cursor = ItemCursor.objects.filter(name=CURSOR).first()
    since = (cursor.position if cursor else now) - LOOKBACK
    items = selectors.items_changed_since(since=since)
    matcher = search_alert_matcher()
    # Matches are stored a slice of items at a time, so a big day never holds them all in
    # memory. Storing is idempotent (matches already recorded are left as they are), so
    # the cursor moves only once everything is stored: a crash means the next run redoes
    # the same items, and records nothing twice.
    for start in range(0, len(items), ITEMS_PER_SLICE):
        rows = _search_matches(
            matcher=matcher, items=items[start : start + ITEMS_PER_SLICE], now=now
        )
        AlertMatch.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    AlertMatch.objects.bulk_create(
        _consultation_matches(now=now), ignore_conflicts=True, batch_size=500
    )
    ItemCursor.objects.update_or_create(name=CURSOR, defaults={"position": now})
    return len(items), AlertMatch.objects.filter(matched_at=now).count()


# --- 2. queue ----------------------------------------------------------------------------


def daily_boundary(*, now: dt.datetime) -> dt.datetime:
    """The most recent daily sending time at or before ``now`` (local time)."""
    hour = int(getattr(settings, "ALERTS_DAILY_HOUR", DEFAULT_DAILY_HOUR))
    local = timezone.localtime(now)
    boundary = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if boundary > local:
        boundary -= dt.timedelta(days=1)
    return boundary


def digests_queue(*, now: dt.datetime | None = None) -> int:
    """Step 2: put each address's due matches into its one waiting digest. Returns how
    many addresses got new matches queued. Each address is one transaction."""
    now = now or timezone.now()
    boundary = daily_boundary(now=now)
    waiting = AlertMatch.objects.filter(
        digest__isnull=True,
        alert__paused_at__isnull=True,
        alert__subscriber__suspended_at__isnull=True,
    )
    due = waiting.filter(
        Q(alert__frequency=Frequency.IMMEDIATE) | Q(alert__subscriber__daily_sent_at__lt=boundary)
    )
    subscriber_ids = sorted(set(due.values_list("alert__subscriber_id", flat=True)))
    queued = 0
    for subscriber_id in subscriber_ids:
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().filter(id=subscriber_id).first()
            if subscriber is None or subscriber.is_suspended:
                continue
            daily_due = subscriber.daily_sent_at < boundary
            matches = waiting.filter(alert__subscriber=subscriber)
            if not daily_due:
                matches = matches.filter(alert__frequency=Frequency.IMMEDIATE)
            match_ids = list(matches.values_list("id", flat=True))
            if not match_ids:
                continue
            digest = subscriber.digests.filter(
                state=DigestState.PENDING, claimed_until__isnull=True
            ).first()
            if digest is None:
                digest = Digest.objects.create(
                    subscriber=subscriber, message_id=emails.new_message_id()
                )
            for start in range(0, len(match_ids), 5000):
                AlertMatch.objects.filter(id__in=match_ids[start : start + 5000]).update(
                    digest=digest
                )
            if daily_due:
                subscriber.daily_sent_at = now
                subscriber.save(update_fields=["daily_sent_at", "updated_at"])
            queued += 1
    return queued


# --- 3. deliver --------------------------------------------------------------------------


def _claim(*, digest_id: int, now: dt.datetime) -> bool:
    return (
        Digest.objects.filter(id=digest_id, state=DigestState.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
        == 1
    )


def digest_mark_sent(*, digest: Digest, now: dt.datetime) -> None:
    digest.state = DigestState.SENT
    digest.sent_at = now
    digest.claimed_until = None
    digest.last_error = ""
    digest.save(update_fields=["state", "sent_at", "claimed_until", "last_error"])


def _release(*, digest: Digest, state: str, error: str = "") -> None:
    digest.state = state
    digest.claimed_until = None
    digest.last_error = error[:2000]
    digest.save(update_fields=["state", "claimed_until", "last_error"])


def digests_deliver(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Step 3: send each waiting digest, at most one per address. Returns (sent, failed)."""
    now = now or timezone.now()
    waiting = (
        Digest.objects.filter(state=DigestState.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("id")
        .values_list("id", "subscriber_id")
    )
    sent, failed = 0, 0
    addresses_done: set[int] = set()
    connection = get_connection()
    try:
        for digest_id, subscriber_id in list(waiting):
            if subscriber_id in addresses_done or not _claim(digest_id=digest_id, now=now):
                continue
            addresses_done.add(subscriber_id)
            digest = Digest.objects.select_related("subscriber").get(id=digest_id)
            matches = list(
                digest.matches.select_related(
                    "alert", "alert__consultation", "alert__department"
                ).order_by("alert__created_at", "alert_id", "-date", "id")
            )
            if digest.subscriber.is_suspended or not matches:
                _release(digest=digest, state=DigestState.CANCELLED)
                continue
            message = emails.digest_email(digest=digest, matches=matches)
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                delivery_problem_record(
                    email=digest.subscriber.email, kind=ProblemKind.HARD_BOUNCE, detail=str(error)
                )
                _release(digest=digest, state=DigestState.CANCELLED, error=str(error))
                continue
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("could not send digest %s: %s", digest.id, error)
                _release(digest=digest, state=DigestState.PENDING, error=str(error))
                failed += 1
                break  # the mail server is unwell: the next run tries again
            digest_mark_sent(digest=digest, now=timezone.now())
            sent += 1
    finally:
        connection.close()
    return sent, failed


def alerts_send(*, now: dt.datetime | None = None) -> SendReport:
    """One whole run: match, queue, deliver. Safe to run again at any time."""
    now = now or timezone.now()
    report = SendReport()
    report.items, report.matches = alerts_match_new_items(now=now)
    report.digests_queued = digests_queue(now=now)
    report.emails_sent, report.failures = digests_deliver(now=now)
    return report
