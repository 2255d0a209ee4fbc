from django.apps import AppConfig

# The home page shows the first few; /recently-answered/ pages through every one.
HOME_RECENT = 8


class ParliamentConfig(AppConfig):
    name = "moot.parliament"
    label = "parliament"
    verbose_name = "Parliament"

    def ready(self) -> None:
        from moot.core.home import home_section_register
        from moot.parliament.selectors import questions_recently_answered

        home_section_register(
            name="parliament.recently-answered",
            order=20,
            template="parliament/includes/home_section.html",
            context=lambda request: {
                "recent_questions": questions_recently_answered(limit=HOME_RECENT)
            },
        )
