from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "moot.core"
    label = "core"
    verbose_name = "Core"
