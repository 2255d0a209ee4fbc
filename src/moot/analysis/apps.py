from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "moot.analysis"
    label = "analysis"
    verbose_name = "Analysis"
