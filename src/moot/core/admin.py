from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from moot.core.models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "foi_email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "department", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "department"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Department", {"fields": ["department"]}),
    )
