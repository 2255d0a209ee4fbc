import datetime as dt

from django.apps import AppConfig

# Admin models each role manages in its own department.
EDITOR_MODELS = [
    "consultation",
    "consultationsection",
    "document",
    "documentversion",
    "documentrelation",
    "attachment",
    "question",
    "questionoption",
    "respondentrole",
]
ANALYST_MODELS = ["response", "answer", "responseattachment", "responsesummary"]


class ConsultationsConfig(AppConfig):
    name = "moot.consultations"
    label = "consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from moot.consultations.selectors import consultations_open
        from moot.consultations.services.retention import responses_purge_personal_data
        from moot.core.background import register_periodic
        from moot.core.extensions import Panel, panel_provider_register
        from moot.core.permissions import (
            ANALYSTS,
            EDITORS,
            Capability,
            capability_permission_register,
            role_model_permissions_register,
        )

        # Declared on Consultation's Meta.permissions.
        for capability, codename in (
            (Capability.CONTENT, "manage_content"),
            (Capability.RESPONSES, "view_responses"),
            (Capability.ANALYSIS, "analyse_responses"),
        ):
            capability_permission_register(
                capability=capability, permission=f"{self.label}.{codename}"
            )
        role_model_permissions_register(
            role=EDITORS, app_label=self.label, model_names=EDITOR_MODELS
        )
        role_model_permissions_register(
            role=ANALYSTS, app_label=self.label, model_names=ANALYST_MODELS
        )

        register_periodic(
            name="consultations.purge-personal-data",
            every=dt.timedelta(hours=6),
            run=responses_purge_personal_data,
            scope="cluster",
        )
        panel_provider_register(
            hook="core.home",
            order=10,
            provider=lambda **_: Panel(
                template="consultations/includes/home_section.html",
                context={"open_consultations": consultations_open()[:6]},
            ),
        )
