from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.models import Offer
from solidarnum.network.models import ReceptionPoint


class SendForm(forms.Form):
    to_point = forms.ModelChoiceField(
        label=_("Vers le point d'accueil"), queryset=ReceptionPoint.objects.none()
    )
    offer = forms.ModelChoiceField(label=_("Offre"), queryset=Offer.objects.none())
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=2000)

    def __init__(self, *args: Any, places: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_point"].queryset = places  # type: ignore[attr-defined]
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class ReceiveForm(forms.Form):
    received = forms.IntegerField(label=_("Nombre de cartes et codes reçus"), min_value=0)
    discrepancy_note = forms.CharField(label=_("Écart constaté"), max_length=500, required=False)
