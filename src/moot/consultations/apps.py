import datetime as dt

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "moot.consultations"
    label = "consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from moot.consultations.services.retention import responses_purge_personal_data
        from moot.core.background import register_periodic

        register_periodic(
            name="consultations.purge-personal-data",
            every=dt.timedelta(hours=6),
            run=responses_purge_personal_data,
            scope="cluster",
        )
