from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "moot.demo"
    label = "demo"
    verbose_name = "Demo data"
