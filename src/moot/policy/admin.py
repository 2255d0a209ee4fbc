from django.contrib import admin

from moot.consultations.admin_scoping import DepartmentScopedAdmin
from moot.policy.models import ShortName


@admin.register(ShortName)
class ShortNameAdmin(DepartmentScopedAdmin):
    """Known short names ("Working Together"): editors add them for their department's
    documents and consultations; a document of no department is for administrators."""

    department_paths = ("document__department", "consultation__department")
    list_display = ["name", "document", "consultation"]
    search_fields = ["name", "document__title", "consultation__title"]
    autocomplete_fields = ["document", "consultation"]
