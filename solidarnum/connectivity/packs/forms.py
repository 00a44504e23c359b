from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.models import Offer
from solidarnum.connectivity.models.packs import MAX_PACKS
from solidarnum.network.models import PartnerStructure


class HandPacksForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Structure qui reçoit les packs"),
        queryset=PartnerStructure.objects.none(),
        help_text=_("Halte de nuit, équipe de maraude… rattachée à votre point d'accueil."),
    )
    quantity = forms.IntegerField(label=_("Nombre de packs"), min_value=1, max_value=MAX_PACKS)
    sim_offer = forms.ModelChoiceField(label=_("Carte SIM"), queryset=Offer.objects.none())
    top_up_offer = forms.ModelChoiceField(label=_("Recharge"), queryset=Offer.objects.none())
    note = forms.CharField(label=_("Remarque"), max_length=255, required=False)

    def __init__(
        self, *args: Any, structures: Any, sim_offers: Any, top_up_offers: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures  # type: ignore[attr-defined]
        self.fields["sim_offer"].queryset = sim_offers  # type: ignore[attr-defined]
        self.fields["top_up_offer"].queryset = top_up_offers  # type: ignore[attr-defined]
        for name, offers in (("sim_offer", sim_offers), ("top_up_offer", top_up_offers)):
            first = offers.first()
            if first is not None and not self.is_bound:
                self.fields[name].initial = first.pk
