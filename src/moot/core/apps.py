from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "moot.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib import admin

        from moot.core.roles import on_post_migrate
        from moot.core.staff_auth import admin_login

        post_migrate.connect(on_post_migrate, dispatch_uid="moot-role-groups")
        # The admin signs staff in through the staff sign-in, with its second factor.
        admin.site.login = admin_login  # type: ignore[method-assign]
