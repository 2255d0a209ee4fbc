from django.apps import AppConfig


class ParliamentConfig(AppConfig):
    name = "moot.parliament"
    label = "parliament"
    verbose_name = "Parliament"
