from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.connectivity.models import Offer


class ConsignForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offre"), queryset=Offer.objects.none())
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1, max_value=500)
    note = forms.CharField(label=_("Remarque"), max_length=255, required=False)

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offre"), queryset=Offer.objects.none())
    quantity = forms.IntegerField(label=_("Quantité rendue"), min_value=1, max_value=500)

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]


class RelaySaleForm(forms.Form):
    """The relay's sale screen, made for a phone: few fields, numeric keyboards."""

    offer = forms.ModelChoiceField(
        label=_("Offre"), queryset=Offer.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    buyer_first_name = forms.CharField(
        label=_("Prénom de l'acheteur"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
    )
    buyer_birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        help_text=_("Quatre chiffres, par exemple 1984."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]
        self.year = timezone.localdate().year

    def clean_buyer_birth_year(self) -> int:
        year: int = self.cleaned_data["buyer_birth_year"]
        if not self.year - 110 <= year <= self.year - 10:
            raise forms.ValidationError(
                _("L'année de naissance doit être comprise entre %(low)s et %(high)s.")
                % {"low": self.year - 110, "high": self.year - 10}
            )
        return year


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Montant payé (€)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=2,
        localize=True,
    )
    paid_on = forms.DateField(label=_("Payé le"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Référence du paiement"), max_length=80, required=False)
