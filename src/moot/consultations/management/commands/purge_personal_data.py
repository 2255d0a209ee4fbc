from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from moot.consultations.services.retention import responses_purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove respondents' personal data from consultations past their retention period "
        "(answers stay), and delete drafts of closed consultations. Also runs in `moot worker`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = responses_purge_personal_data()
        self.stdout.write(
            f"Deleted {report.drafts_deleted} expired drafts. Removed personal data from "
            f"{report.responses_purged} responses to {report.consultations_purged} "
            f"consultations, and {report.files_deleted} scans or original messages."
        )
