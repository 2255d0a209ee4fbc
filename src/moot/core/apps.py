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
        _register_periodic_jobs()
        # The admin signs staff in through the staff sign-in, with its second factor.
        admin.site.login = admin_login  # type: ignore[method-assign]


def _register_periodic_jobs() -> None:
    import datetime as dt

    from django.conf import settings

    from moot.core.background import register_periodic
    from moot.core.tasks_recovery import heartbeats_prune, tasks_requeue_abandoned

    register_periodic(
        name="core.requeue-abandoned-tasks",
        every=dt.timedelta(seconds=max(1, settings.WORKER_STALE_SECONDS // 2)),
        run=tasks_requeue_abandoned,
        lease=dt.timedelta(minutes=5),
    )
    register_periodic(
        name="core.prune-heartbeats", every=dt.timedelta(hours=6), run=heartbeats_prune
    )
