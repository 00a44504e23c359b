"""The till's forms: amounts in euros (a comma is accepted), reasons in a few words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import PaymentMethod


def _money_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
    )


class OpenSessionForm(forms.Form):
    opening_float = _money_field(_("Fond de caisse compté (€)"))


class CloseSessionForm(forms.Form):
    counted_cash = _money_field(_("Espèces comptées dans le tiroir (€)"))
    counted_card = _money_field(_("Total carte du terminal (€)"), required=False)
    comment = forms.CharField(
        label=_("Commentaire (obligatoire s'il y a un écart)"), max_length=500, required=False
    )


class TillForm(forms.Form):
    name = forms.CharField(label=_("Nom de la nouvelle caisse"), max_length=60)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Code du bon, nom, téléphone ou identifiant"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class DeviceScanForm(forms.Form):
    device = forms.IntegerField(widget=forms.HiddenInput)


class OfferForm(forms.Form):
    offer = forms.IntegerField(widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Paiement"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    tendered = _money_field(_("Somme reçue en espèces (€)"), required=False)
    free_reason = forms.CharField(
        label=_("Motif de la gratuité (pack, décision du responsable)"),
        max_length=255,
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Dérogation du responsable : motif"), max_length=255, required=False
    )


class ReceiptPrefixForm(forms.Form):
    receipt_prefix = forms.CharField(
        label=_("Préfixe des tickets (2 à 8 lettres ou chiffres)"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=255)


class ExchangeForm(forms.Form):
    """A defective device exchanged for another one of the same kind, in one step."""

    line = forms.TypedChoiceField(label=_("Appareil rendu"), coerce=int)
    device = forms.CharField(
        label=_("Appareil de remplacement : numéro de série, IMEI ou numéro d'appareil"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    method = forms.ChoiceField(
        label=_("La différence est réglée en"),
        choices=[
            (PaymentMethod.CASH, PaymentMethod.CASH.label),
            (PaymentMethod.CARD, PaymentMethod.CARD.label),
        ],
        initial=PaymentMethod.CASH,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Ce qui ne marche pas"), max_length=255)
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["line"].choices = choices  # type: ignore[attr-defined]


class RefundForm(ReasonForm):
    lines = forms.TypedMultipleChoiceField(
        label=_("Lignes à rembourser"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["lines"].choices = choices  # type: ignore[attr-defined]
