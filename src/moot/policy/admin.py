from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from moot.consultations.admin_scoping import DepartmentScopedAdmin
from moot.core.admin_mixins import ReadOnlyAdminMixin
from moot.policy.models import Mention, ScanCursor, ShortName
from moot.policy.selectors import mentions_visible_to


@admin.register(ShortName)
class ShortNameAdmin(DepartmentScopedAdmin):
    """Known short names ("Working Together"): editors add them for their department's
    documents and consultations; a document of no department is for administrators."""

    department_paths = ("document__department", "consultation__department")
    list_display = ["name", "document", "consultation"]
    search_fields = ["name", "document__title", "consultation__title"]
    autocomplete_fields = ["document", "consultation"]


@admin.register(Mention)
class MentionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Mentions are found by moot and reviewed on the staff pages (/staff/mentions/), where
    every review is audited; the admin only shows them, to those who may review them."""

    list_display = ["matched_text", "kind", "status", "document", "consultation", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["matched_text"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mention]:
        return mentions_visible_to(user=request.user)


@admin.register(ScanCursor)
class ScanCursorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "position"]
