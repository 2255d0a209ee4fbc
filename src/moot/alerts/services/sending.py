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
import uuid
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
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
from moot.core.mail import NOT_CONFIGURED, email_delivers

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
    email_not_configured: bool = False

    def __str__(self) -> str:
        return (
            f"{self.items} new or changed items, {self.matches} new matches, "
            f"{self.digests_queued} digests queued, {self.emails_sent} emails sent"
            + (f", {self.failures} could not be sent (will retry)" if self.failures else "")
            + (f". {NOT_CONFIGURED} Digests wait until it is" if self.email_not_configured else "")
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


def _policy_matches(*, now: dt.datetime) -> list[AlertMatch]:
    return [
        AlertMatch(
            alert_id=found.alert_id,
            item_key=found.item_key,
            title=f"{found.event.kind}: {found.event.title}"[:300],
            url=found.event.url[:500],
            date=found.event.day,
            snippet=" ".join(
                part
                for part in [
                    found.event.description,
                    "Mentions " + ", ".join(f"“{words}”" for words in found.event.words) + "."
                    if found.event.words
                    else "",
                ]
                if part
            ),
            matched_at=now,
        )
        for found in selectors.policy_events(now=now)
    ]


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
    AlertMatch.objects.bulk_create(_policy_matches(now=now), ignore_conflicts=True, batch_size=500)
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


QUEUE_BATCH = 500


def _due_matches(*, boundary: dt.datetime) -> QuerySet[AlertMatch]:
    """Matches waiting for a digest whose time has come: immediate ones, and daily ones of
    addresses not sent their daily alerts since ``boundary``."""
    return AlertMatch.objects.filter(
        digest__isnull=True,
        alert__paused_at__isnull=True,
        alert__subscriber__suspended_at__isnull=True,
    ).filter(
        Q(alert__frequency=Frequency.IMMEDIATE) | Q(alert__subscriber__daily_sent_at__lt=boundary)
    )


def digests_queue(*, now: dt.datetime | None = None) -> int:
    """Step 2: put each address's due matches into its one waiting digest. Returns how
    many addresses got new matches queued.

    Addresses are handled a batch at a time, each batch one transaction: its digests are
    created or reused and its matches attached together, so a crash leaves every address
    either fully queued or untouched.
    """
    now = now or timezone.now()
    boundary = daily_boundary(now=now)
    due = _due_matches(boundary=boundary)
    subscriber_ids = sorted(set(due.values_list("alert__subscriber_id", flat=True)))
    daily = set(
        due.filter(alert__frequency=Frequency.DAILY).values_list("alert__subscriber_id", flat=True)
    )
    for start in range(0, len(subscriber_ids), QUEUE_BATCH):
        batch = subscriber_ids[start : start + QUEUE_BATCH]
        _queue_batch(subscriber_ids=batch, daily=daily, boundary=boundary, now=now)
    return len(subscriber_ids)


def _queue_batch(
    *, subscriber_ids: list[int], daily: set[int], boundary: dt.datetime, now: dt.datetime
) -> None:
    with transaction.atomic():
        # Locked, so a second run queueing at the same moment waits and then skips them.
        due = list(
            _due_matches(boundary=boundary)
            .filter(alert__subscriber_id__in=subscriber_ids)
            .select_for_update(of=("self",))
            .values_list("id", "alert__subscriber_id")
        )
        # An address's waiting digest takes its new matches, unless a run is sending it.
        digests = dict(
            Digest.objects.filter(
                subscriber_id__in=subscriber_ids,
                state=DigestState.PENDING,
                claimed_until__isnull=True,
            )
            .order_by("id")
            .values_list("subscriber_id", "id")
        )
        new = [
            Digest(subscriber_id=subscriber_id, message_id=emails.new_message_id())
            for subscriber_id in sorted({subscriber_id for _, subscriber_id in due})
            if subscriber_id not in digests
        ]
        Digest.objects.bulk_create(new)
        digests.update((digest.subscriber_id, digest.pk) for digest in new)
        by_digest: dict[int, list[int]] = {}
        for match_id, subscriber_id in due:
            by_digest.setdefault(digests[subscriber_id], []).append(match_id)
        for digest_id, match_ids in by_digest.items():  # by primary key: cheap statements
            for start in range(0, len(match_ids), 5000):
                AlertMatch.objects.filter(id__in=match_ids[start : start + 5000]).update(
                    digest_id=digest_id
                )
        Subscriber.objects.filter(id__in=[id_ for id_ in subscriber_ids if id_ in daily]).update(
            daily_sent_at=now, updated_at=now
        )


# --- 3. deliver --------------------------------------------------------------------------


DELIVER_BATCH = 50


def _claim(*, digest_ids: list[int], run: str, now: dt.datetime) -> list[Digest]:
    """Claim these digests for this run (those no other run holds); returns those claimed."""
    Digest.objects.filter(id__in=digest_ids, state=DigestState.PENDING).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ).update(claimed_until=now + CLAIM_LEASE, claimed_by=run, attempts=F("attempts") + 1)
    claimed = Digest.objects.filter(id__in=digest_ids, claimed_by=run, state=DigestState.PENDING)
    return list(claimed.select_related("subscriber").order_by("id"))


def _matches_by_digest(digests: list[Digest]) -> dict[int, list[AlertMatch]]:
    grouped: dict[int, list[AlertMatch]] = {}
    matches = (
        AlertMatch.objects.filter(digest__in=digests)
        .select_related("alert", "alert__consultation", "alert__department")
        .order_by("alert__created_at", "alert_id", "-date", "id")
    )
    for match in matches:
        grouped.setdefault(match.digest_id or 0, []).append(match)
    return grouped


def digest_mark_sent(*, digest: Digest, now: dt.datetime) -> None:
    Digest.objects.filter(pk=digest.pk).update(
        state=DigestState.SENT, sent_at=now, claimed_until=None, claimed_by="", last_error=""
    )


def _release(*, digests: list[Digest], state: str, error: str = "") -> None:
    Digest.objects.filter(pk__in=[digest.pk for digest in digests]).update(
        state=state, claimed_until=None, claimed_by="", last_error=error[:2000]
    )


def _deliver(*, digest: Digest, matches: list[AlertMatch], connection: object) -> str:
    """Send one claimed digest: "sent", "cancelled", or "failed" (the server is unwell)."""
    if digest.subscriber.is_suspended or not matches:
        _release(digests=[digest], state=DigestState.CANCELLED)
        return "cancelled"
    message = emails.digest_email(digest=digest, matches=matches)
    try:
        connection.send_messages([message])  # type: ignore[attr-defined]
    except smtplib.SMTPRecipientsRefused as error:
        delivery_problem_record(
            email=digest.subscriber.email, kind=ProblemKind.HARD_BOUNCE, detail=str(error)
        )
        _release(digests=[digest], state=DigestState.CANCELLED, error=str(error))
        return "cancelled"
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("could not send digest %s: %s", digest.id, error)
        _release(digests=[digest], state=DigestState.PENDING, error=str(error))
        return "failed"
    digest_mark_sent(digest=digest, now=timezone.now())
    return "sent"


def digests_deliver(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Step 3: send each waiting digest, at most one per address. Returns (sent, failed).

    Digests are claimed a few dozen at a time; one that is claimed but not yet sent when a
    run stops is taken by a later run once the claim lapses.
    """
    now = now or timezone.now()
    if not email_delivers():
        # Printing a digest to the worker's terminal is not sending it: keep it queued.
        logger.error("alert digests not sent: %s", NOT_CONFIGURED)
        return 0, 0
    run = uuid.uuid4().hex
    waiting = (
        Digest.objects.filter(state=DigestState.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("id")
        .values_list("id", "subscriber_id")
    )
    chosen: list[int] = []
    addresses: set[int] = set()
    for digest_id, subscriber_id in waiting:
        if subscriber_id not in addresses:  # one email per address per run
            addresses.add(subscriber_id)
            chosen.append(digest_id)
    sent = 0
    connection = get_connection()
    try:
        for start in range(0, len(chosen), DELIVER_BATCH):
            digests = _claim(digest_ids=chosen[start : start + DELIVER_BATCH], run=run, now=now)
            matches = _matches_by_digest(digests)
            for position, digest in enumerate(digests):
                outcome = _deliver(
                    digest=digest, matches=matches.get(digest.id, []), connection=connection
                )
                if outcome == "failed":
                    # The mail server is unwell: leave the rest for the next run at once.
                    _release(digests=digests[position + 1 :], state=DigestState.PENDING)
                    return sent, 1
                sent += outcome == "sent"
    finally:
        connection.close()
    return sent, 0


def alerts_send(*, now: dt.datetime | None = None) -> SendReport:
    """One whole run: match, queue, deliver. Safe to run again at any time."""
    now = now or timezone.now()
    report = SendReport()
    report.items, report.matches = alerts_match_new_items(now=now)
    report.digests_queued = digests_queue(now=now)
    report.emails_sent, report.failures = digests_deliver(now=now)
    report.email_not_configured = not email_delivers()
    return report
