"""Writes for alerts: subscriptions, sending, and delivery problems."""

from moot.alerts.services.problems import (
    delivery_problem_record,
    subscriber_reinstate,
    subscriber_suspend,
)
from moot.alerts.services.sending import (
    SendReport,
    alerts_match_new_items,
    alerts_send,
    digest_mark_sent,
    digests_deliver,
    digests_queue,
    search_alert_matcher,
)
from moot.alerts.services.subscriptions import (
    AlertInvalid,
    AlertSpec,
    EmailNotSent,
    alert_confirm,
    alert_delete,
    alert_frequency_set,
    alert_pause,
    alert_request,
    alert_requests_purge,
    alert_resume,
    alert_spec_clean,
    manage_link_request,
    subscriber_alerts_delete,
    unsubscribe,
)

__all__ = [
    "AlertInvalid",
    "AlertSpec",
    "EmailNotSent",
    "SendReport",
    "alert_confirm",
    "alert_delete",
    "alert_frequency_set",
    "alert_pause",
    "alert_request",
    "alert_requests_purge",
    "alert_resume",
    "alert_spec_clean",
    "alerts_match_new_items",
    "alerts_send",
    "delivery_problem_record",
    "digest_mark_sent",
    "digests_deliver",
    "digests_queue",
    "manage_link_request",
    "search_alert_matcher",
    "subscriber_alerts_delete",
    "subscriber_reinstate",
    "subscriber_suspend",
    "unsubscribe",
]
