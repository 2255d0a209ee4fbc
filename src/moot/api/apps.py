from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "moot.api"
    label = "api"
    verbose_name = "API"
