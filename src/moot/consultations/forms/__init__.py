from moot.consultations.forms.public import ConsultationFilterForm

__all__ = ["ConsultationFilterForm"]
