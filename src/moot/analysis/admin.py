"""The admin shows runs and the analysts' changes read-only: they are made on the analysis
pages, where every change is checked and recorded, and the admin never edits them."""

from __future__ import annotations

from django.contrib import admin

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    CampaignName,
    EvidenceRow,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.consultations.admin_scoping import DepartmentScopedAdmin
from moot.core.admin_mixins import ReadOnlyAdminMixin
from moot.core.permissions import Capability


class ReadOnlyAdmin(ReadOnlyAdminMixin, DepartmentScopedAdmin):
    """Scoped like every department-owned admin, to staff who may analyse the consultation."""

    capability = Capability.ANALYSIS


@admin.register(AnalysisRun)
class AnalysisRunAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "number", "status", "created_at", "response_count"]
    list_filter = ["status"]
    list_select_related = ["consultation"]
    exclude = ["summary"]
    search_fields = ["consultation__title", "consultation__slug"]


@admin.register(AnalystChange)
class AnalystChangeAdmin(ReadOnlyAdmin):
    list_display = ["made_at", "made_by_name", "consultation", "kind", "description"]
    list_filter = ["kind"]
    list_select_related = ["consultation"]
    search_fields = ["description", "made_by_name", "consultation__slug"]


@admin.register(CampaignName)
class CampaignNameAdmin(ReadOnlyAdmin):
    list_display = ["name", "consultation", "campaign_key", "named_by_name"]
    list_select_related = ["consultation"]
    search_fields = ["name", "campaign_key", "consultation__slug"]


class RunRowAdmin(ReadOnlyAdmin):
    """What a run found per response (the latest run of each consultation only)."""

    department_paths = ("run__consultation__department",)
    consultation_path = "run__consultation"
    list_select_related = ["run__consultation", "response"]
    raw_id_fields = ["run", "response"]


@admin.register(CampaignMembership)
class CampaignMembershipAdmin(RunRowAdmin):
    list_display = ["response", "campaign_key", "similarity", "is_exact_copy", "run"]
    search_fields = ["campaign_key", "response__reference"]


@admin.register(ThemeAssignmentRow)
class ThemeAssignmentRowAdmin(RunRowAdmin):
    list_display = ["response", "question_ref", "theme_key", "confidence", "source", "run"]
    search_fields = ["theme_key", "response__reference"]


@admin.register(StanceRow)
class StanceRowAdmin(RunRowAdmin):
    list_display = ["response", "question_ref", "stance", "confidence", "source", "run"]
    search_fields = ["response__reference"]


@admin.register(EvidenceRow)
class EvidenceRowAdmin(RunRowAdmin):
    list_display = ["response", "question_ref", "kinds", "confidence", "source", "run"]
    search_fields = ["kinds", "response__reference"]
