from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "moot.analysis"
    label = "analysis"
    verbose_name = "Analysis"

    def ready(self) -> None:
        from moot.analysis.selectors.exports import analysis_export_columns
        from moot.analysis.selectors.published import (
            published_theme_choices,
            published_theme_responses,
        )
        from moot.analysis.views.panels import analysis_response_panel
        from moot.consultations.selectors.exports import export_column_source_register
        from moot.consultations.selectors.published import published_theme_source_register
        from moot.core.extensions import panel_provider_register

        # consultations must not import analysis, so the analysis adds what it knows itself.
        export_column_source_register(analysis_export_columns)
        published_theme_source_register(
            choices=published_theme_choices, responses=published_theme_responses
        )
        panel_provider_register(
            hook="consultations.staff_response", provider=analysis_response_panel
        )
