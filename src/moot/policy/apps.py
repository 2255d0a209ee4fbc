import datetime as dt

from django.apps import AppConfig


def _scan_for_mentions() -> None:
    from moot.policy.services import mentions_scan

    mentions_scan()


class PolicyConfig(AppConfig):
    name = "moot.policy"
    label = "policy"
    verbose_name = "Policy threads"

    def ready(self) -> None:
        from moot.core.background import register_periodic
        from moot.core.extensions import decorator_register, panel_provider_register
        from moot.core.permissions import EDITORS, role_model_permissions_register
        from moot.policy import pages

        # Editors manage the short names their department's documents are known by.
        role_model_permissions_register(
            role=EDITORS, app_label=self.label, model_names=["shortname"]
        )
        # parliament and consultations must not import policy, so policy adds its panels
        # and links to their pages itself.
        panel_provider_register(hook="parliament.question", provider=pages.question_panel)
        panel_provider_register(hook="consultations.consultation", provider=pages.in_parliament)
        panel_provider_register(hook="consultations.document", provider=pages.in_parliament)
        decorator_register(hook="parliament.answer_body", decorator=pages.answer_body_links)
        decorator_register(hook="parliament.question_text", decorator=pages.question_text_links)
        panel_provider_register(hook="parliament.statement", provider=pages.statement_panel)
        decorator_register(hook="parliament.statement_body", decorator=pages.statement_body_links)
        register_periodic(
            name="policy.find-mentions",
            every=dt.timedelta(minutes=2),
            run=_scan_for_mentions,
            scope="cluster",
        )
