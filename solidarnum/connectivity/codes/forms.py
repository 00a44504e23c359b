from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.enums import CodeStatus
from solidarnum.connectivity.models import Offer


class CodeFilterForm(forms.Form):
    q = forms.CharField(label=_("Numéro de série ou ICCID"), required=False, max_length=32)
    offer = forms.ModelChoiceField(
        label=_("Offre"), queryset=Offer.objects.none(), required=False, empty_label=_("Toutes")
    )
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous")), *CodeStatus.choices], required=False
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi révéler ce code ?"),
        max_length=200,
        help_text=_("Par exemple : ticket perdu par la personne. Cette action est tracée."),
    )


class DefectiveForm(forms.Form):
    reason = forms.CharField(label=_("Ce qui ne va pas"), max_length=200)


class AlertForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offre"), queryset=Offer.objects.none())
    threshold = forms.IntegerField(label=_("Seuil d'alerte"), min_value=0, max_value=100_000)

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
