from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "moot.alerts"
    label = "alerts"
    verbose_name = "Alerts"
