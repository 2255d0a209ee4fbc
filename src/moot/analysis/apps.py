from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "moot.analysis"
    label = "analysis"
    verbose_name = "Analysis"

    def ready(self) -> None:
        from moot.analysis.selectors.exports import analysis_export_columns
        from moot.consultations.selectors.exports import export_column_source_register

        # consultations must not import analysis, so the analysis adds its columns itself.
        export_column_source_register(analysis_export_columns)
