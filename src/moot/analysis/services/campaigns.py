"""Naming campaigns, so pages and the summary of responses say what a campaign is."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from moot.analysis.models import AnalysisRun, CampaignName
from moot.analysis.services.changes import ChangeRefused
from moot.consultations.models import Consultation
from moot.core.models import User

CAMPAIGN_NAME_MAX_LENGTH = 120


def campaign_name_set(
    *, consultation: Consultation, run: AnalysisRun, campaign_key: str, name: str, by: User
) -> CampaignName | None:
    """Give the campaign ``campaign_key`` of ``run`` a name, or with an empty name take its
    name away (it is then "Campaign N" again). Idempotent; refuses with ``ChangeRefused`` a
    campaign the run did not find, a name too long or with line breaks, and a name another
    campaign of the consultation already has."""
    if run.consultation_id != consultation.pk:
        raise ChangeRefused("That analysis run is of another consultation.")
    known = {c["id"] for c in run.summary.get("campaigns", {}).get("campaigns", [])}
    if campaign_key not in known:
        raise ChangeRefused("The latest analysis found no such campaign.")
    if "\n" in name or "\r" in name:
        raise ChangeRefused("A campaign's name must be on one line.")
    name = " ".join(name.split())
    if len(name) > CAMPAIGN_NAME_MAX_LENGTH:
        raise ChangeRefused(
            f"A campaign's name can be at most {CAMPAIGN_NAME_MAX_LENGTH} characters long."
        )
    if not name:
        CampaignName.objects.filter(consultation=consultation, campaign_key=campaign_key).delete()
        return None
    try:
        with transaction.atomic():
            named, _ = CampaignName.objects.update_or_create(
                consultation=consultation,
                campaign_key=campaign_key,
                defaults={"name": name, "named_by": by, "named_by_name": by.get_username()},
            )
    except IntegrityError as error:
        raise ChangeRefused(f"Another campaign is already called “{name}”.") from error
    return named
