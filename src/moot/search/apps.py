from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from moot.search.triggers import triggers_install

    triggers_install(using=using)


class SearchConfig(AppConfig):
    name = "moot.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from moot.core.background import register_periodic
        from moot.search import services

        # SQLite drops a table's triggers when a migration rebuilds it: put them back after
        # every migrate, whichever app's migration did the rebuilding.
        post_migrate.connect(_reinstall_triggers, sender=self, dispatch_uid="search-triggers")
        register_periodic(
            name="search-index",
            every=dt.timedelta(seconds=2),
            run=services.search_index_update,
            scope="local",
        )
        register_periodic(
            name="search-change-log-prune",
            every=dt.timedelta(hours=1),
            run=services.search_change_log_prune,
            scope="cluster",
        )
