from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.models import Offer

OFFER_FORM_FIELDS = [
    "name",
    "kind",
    "operator",
    "validity_days",
    "data_gb",
    "unlimited_calls_sms",
    "description",
    "quota_per_30_days",
]


class OfferForm(forms.ModelForm[Offer]):
    class Meta:
        model = Offer
        fields = OFFER_FORM_FIELDS
        localized_fields = ["data_gb"]

    def validate_unique(self) -> None:
        """The service says it in French, without a second query here."""


class NewOfferForm(OfferForm):
    solidarity_price = forms.DecimalField(
        label=_("Prix solidaire (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=2,
        localize=True,
    )
    market_price = forms.DecimalField(
        label=_("Prix de référence du marché (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=2,
        localize=True,
    )


class OfferPriceForm(forms.Form):
    valid_from = forms.DateField(
        label=_("À partir du"), widget=forms.DateInput(attrs={"type": "date"})
    )
    solidarity_price = forms.DecimalField(
        label=_("Prix solidaire (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=2,
        localize=True,
    )
    market_price = forms.DecimalField(
        label=_("Prix de référence du marché (€)"),
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=2,
        localize=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
