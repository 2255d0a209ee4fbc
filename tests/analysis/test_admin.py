"""The admin shows runs, changes and per-response rows read-only, and only to staff who may
analyse the consultation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.analysis.services import changes
from moot.consultations.models import Consultation
from moot.core.models import User
from tests.analysis.conftest import free_refs, themes_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [AnalysisRun, AnalystChange, CampaignMembership, ThemeAssignmentRow, StanceRow]


def test_admin_pages_are_read_only(
    client: Client, consultation: Consultation, run: AnalysisRun, analyst: User
) -> None:
    ref = free_refs(run)[0]
    changes.theme_delete(
        consultation=consultation,
        question_ref=ref,
        theme_id=str(themes_of(run, ref)[0]["id"]),
        by=analyst,
    )
    client.force_login(UserFactory(is_superuser=True))
    for model in MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        instance = model.objects.first()
        assert instance is not None, model
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
        assert change.status_code == 200, model
        assert 'name="_save"' not in change.content.decode(), model
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
