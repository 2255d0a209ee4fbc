from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "moot.consultations"
    label = "consultations"
    verbose_name = "Consultations"
