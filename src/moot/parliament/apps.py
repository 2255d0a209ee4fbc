from django.apps import AppConfig

# The home page shows the first few; /recently-answered/ pages through every one.
HOME_RECENT = 8


class ParliamentConfig(AppConfig):
    name = "moot.parliament"
    label = "parliament"
    verbose_name = "Parliament"

    def ready(self) -> None:
        from moot.core.extensions import Panel, panel_provider_register
        from moot.parliament.selectors import questions_recently_answered

        panel_provider_register(
            hook="core.home",
            order=20,
            provider=lambda **_: Panel(
                template="parliament/includes/home_section.html",
                context={"recent_questions": questions_recently_answered(limit=HOME_RECENT)},
            ),
        )
