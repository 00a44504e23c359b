from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.enums import MediationStatus, MediationStepKind
from solidarnum.connectivity.models import MediationCase, PlanAdvice


class PlanAdviceForm(forms.ModelForm[PlanAdvice]):
    class Meta:
        model = PlanAdvice
        fields = ["needs", "current_plan", "monthly_spend", "advice", "estimated_monthly_saving"]
        localized_fields = ["monthly_spend", "estimated_monthly_saving"]


class MediationForm(forms.ModelForm[MediationCase]):
    class Meta:
        model = MediationCase
        fields = ["kind", "operator", "amount_disputed"]
        localized_fields = ["amount_disputed"]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Étape"), choices=MediationStepKind.choices)
    done_on = forms.DateField(
        label=_("Faite le"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Remarque"), max_length=500, required=False)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Issue"),
        choices=[
            (MediationStatus.RESOLVED.value, MediationStatus.RESOLVED.label),
            (MediationStatus.DROPPED.value, MediationStatus.DROPPED.label),
        ],
    )
    amount_recovered = forms.DecimalField(
        label=_("Montant récupéré (€)"),
        min_value=0,
        decimal_places=2,
        required=False,
        localize=True,
    )
