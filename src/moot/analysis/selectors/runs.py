"""Reads of analysis runs: the latest result of a consultation, a run's stored result, and
the campaign matcher built from it."""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from moot.analysis.engine import AnalysisParams, AnalysisResult, Campaign, CampaignMatcher
from moot.analysis.models import ACTIVE_STATUSES, AnalysisRun, CampaignName, RunStatus
from moot.consultations.models import Consultation

# Runs without their big summary, for lists and status checks.
LIGHT_FIELDS = ("summary",)


def latest_run(*, consultation: Consultation) -> AnalysisRun | None:
    """The consultation's latest successful run (the one the pages show), or None."""
    return (
        AnalysisRun.objects.filter(consultation=consultation, status=RunStatus.SUCCEEDED)
        .select_related("consultation", "requested_by")
        .order_by("-number")
        .first()
    )


def active_run(*, consultation: Consultation) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(consultation=consultation, status__in=ACTIVE_STATUSES)
        .defer(*LIGHT_FIELDS)
        .first()
    )


def last_attempt(*, consultation: Consultation) -> AnalysisRun | None:
    """The most recent run whatever its outcome (to show a failure)."""
    return (
        AnalysisRun.objects.filter(consultation=consultation)
        .defer(*LIGHT_FIELDS)
        .order_by("-number")
        .first()
    )


def runs_for_consultation(*, consultation: Consultation) -> QuerySet[AnalysisRun]:
    return (
        AnalysisRun.objects.filter(consultation=consultation)
        .defer(*LIGHT_FIELDS)
        .select_related("requested_by")
        .order_by("-number")
    )


def run_for_consultation(*, consultation: Consultation, number: int) -> AnalysisRun:
    try:
        return AnalysisRun.objects.select_related("consultation", "requested_by").get(
            consultation=consultation, number=number
        )
    except AnalysisRun.DoesNotExist:
        raise Http404("No such analysis run") from None


def result_bytes(*, run: AnalysisRun) -> bytes:
    """The run's stored result: gzipped JSON."""
    with run.result_file.open("rb") as stored:
        return stored.read()


def result_load(*, run: AnalysisRun) -> AnalysisResult:
    """The engine's whole result of a successful run (slow for big runs: workers only)."""
    return AnalysisResult.from_dict(json.loads(gzip.decompress(result_bytes(run=run))))


class _MatcherCache:
    """Campaign matchers of recent runs, built once per process from a run's summary."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.matchers: OrderedDict[int, CampaignMatcher] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, run: AnalysisRun) -> CampaignMatcher:
        with self.lock:
            if run.pk in self.matchers:
                self.matchers.move_to_end(run.pk)
                return self.matchers[run.pk]
        report = run.summary["campaigns"]
        campaigns = [
            Campaign(
                id=c["id"],
                template_response_id=c["template_response_id"],
                template_texts=c["template_texts"],
                size=c["size"],
                distinct_text_count=c["distinct_text_count"],
                members=(),
            )
            for c in report["campaigns"]
        ]
        matcher = CampaignMatcher(
            campaigns=campaigns,
            question_ids=report["question_ids"],
            params=AnalysisParams.from_dict(run.params),
        )
        with self.lock:
            self.matchers[run.pk] = matcher
            while len(self.matchers) > self.size:
                self.matchers.popitem(last=False)
        return matcher


_matchers = _MatcherCache()


def campaign_matcher(*, run: AnalysisRun) -> CampaignMatcher:
    """A matcher of new responses against the run's campaigns (cached per run)."""
    return _matchers.get(run)


def campaign_labels(*, consultation: Consultation) -> dict[str, str]:
    """Campaign id → the name analysts gave it; unnamed campaigns are not listed."""
    return dict(
        CampaignName.objects.filter(consultation=consultation).values_list("campaign_key", "name")
    )


def campaign_label(campaign: dict[str, Any], labels: dict[str, str]) -> str:
    """How a campaign is called: its name, or "Campaign N" before anyone names it."""
    return labels.get(campaign["id"]) or f"Campaign {campaign['number']}"
