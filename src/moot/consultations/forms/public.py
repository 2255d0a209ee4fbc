from __future__ import annotations

from django import forms

from moot.consultations.models import ConsultationStatus
from moot.consultations.selectors import PUBLIC_STATUSES, departments_with_consultations
from moot.core.models import Department


class ConsultationFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *((s.value, s.label) for s in PUBLIC_STATUSES)],
    )
    department = forms.ModelChoiceField(
        required=False,
        queryset=Department.objects.none(),
        to_field_name="slug",
        empty_label="All departments",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].queryset = departments_with_consultations()  # type: ignore[attr-defined]

    @property
    def selected_status(self) -> ConsultationStatus | None:
        value = self.cleaned_data.get("status") if self.is_valid() else None
        return ConsultationStatus(value) if value else None

    @property
    def selected_department(self) -> Department | None:
        return self.cleaned_data.get("department") if self.is_valid() else None
