import datetime as dt

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "moot.api"
    label = "api"
    verbose_name = "API and open data"

    def ready(self) -> None:
        from moot.api.opendata.export import open_data_export_if_due
        from moot.core.background import register_periodic

        # Checked every two minutes (a few cheap aggregate queries); exported once a night
        # (OPEN_DATA_EXPORT_HOUR) and when the data changed and then settled
        # (OPEN_DATA_REFRESH_DEBOUNCE_SECONDS, OPEN_DATA_REFRESH_MAX_DELAY_SECONDS).
        register_periodic(
            name="api.open-data-export",
            every=dt.timedelta(minutes=2),
            run=open_data_export_if_due,
            scope="cluster",
            lease=dt.timedelta(hours=3),
        )
