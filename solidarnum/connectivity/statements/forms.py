from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatementForm(forms.Form):
    operator = forms.ChoiceField(label=_("Opérateur partenaire"))
    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, operators: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [(o, o) for o in operators]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("La fin de la période précède son début."))
            if (end - start).days > 731:
                raise forms.ValidationError(_("Une période de deux ans au plus."))
            if start > timezone.localdate():
                raise forms.ValidationError(_("La période commence dans le futur."))
        return data
