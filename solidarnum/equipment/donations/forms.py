"""Forms of donations, tax receipts and the donor report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.equipment.enums import DeviceKind, DonationSource
from solidarnum.equipment.models import Donation
from solidarnum.network.models import DonorCompany, RefurbishingPartner

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_QUANTITY = 100_000
# A donation may be declared ahead of its pick-up, but not further ahead than this.
MAX_DAYS_AHEAD = 365
# The donor report covers at most this many years.
REPORT_MAX_YEARS = 5


def quantity_field_name(kind: str) -> str:
    return f"quantity_{kind}"


# --- Donations -----------------------------------------------------------------------------------


class DonationForm(forms.Form):
    """A donation declared by the donor company (its own) or by the national team (any)."""

    donor = AutocompleteField(
        label=_("Entreprise donatrice"),
        queryset=DonorCompany.objects.none(),
        url_name="network:donor_suggestions",
        search_fields=("name", "siret"),
    )
    donated_on = forms.DateField(label=_("Date du don"), widget=DATE_INPUT)
    source = forms.ChoiceField(label=_("Origine du don"), choices=DonationSource.choices)
    pickup_place = forms.CharField(
        label=_("Lieu d'enlèvement"),
        max_length=255,
        help_text=_("Adresse où l'atelier vient chercher les appareils."),
    )
    refurbisher = forms.ModelChoiceField(
        label=_("Atelier de reconditionnement"),
        queryset=RefurbishingPartner.objects.none(),
        empty_label=_("Choisissez l'atelier"),
    )
    notes = forms.CharField(
        label=_("Remarques"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, choose_donor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_donor:
            self.fields["donor"].queryset = DonorCompany.objects.filter(  # type: ignore[attr-defined]
                is_active=True
            ).order_by("name")
        else:
            del self.fields["donor"]
        self.fields["refurbisher"].queryset = RefurbishingPartner.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        for kind in DeviceKind:
            self.fields[quantity_field_name(kind.value)] = forms.IntegerField(
                label=kind.label,
                required=False,
                min_value=0,
                max_value=MAX_QUANTITY,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @property
    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("quantity_")]

    @property
    def quantity_fields(self) -> list[forms.BoundField]:
        return [self[quantity_field_name(kind.value)] for kind in DeviceKind]

    def clean_donated_on(self) -> date:
        value: date = self.cleaned_data["donated_on"]
        if value > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("La date du don est trop loin dans l'avenir."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(quantity_field_name(kind.value)) for kind in DeviceKind):
            has_quantity_errors = any(
                quantity_field_name(kind.value) in self.errors for kind in DeviceKind
            )
            if not has_quantity_errors:
                raise forms.ValidationError(
                    _("Indiquez combien d'appareils sont donnés, au moins un type.")
                )
        return cleaned

    def quantities(self) -> dict[str, int]:
        return {
            kind.value: self.cleaned_data.get(quantity_field_name(kind.value)) or 0
            for kind in DeviceKind
        }


class TaxReceiptForm(forms.Form):
    number = forms.CharField(label=_("Numéro du reçu fiscal"), max_length=40)
    issued_on = forms.DateField(label=_("Date du reçu fiscal"), widget=DATE_INPUT)
    valued_amount = forms.DecimalField(
        label=_("Valorisation du don (€)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Montant estimé par l'atelier, en euros."),
    )

    def __init__(self, *args: Any, donation: Donation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.donation = donation

    def clean_number(self) -> str:
        value = self.cleaned_data["number"].strip()
        if not value:
            raise forms.ValidationError(_("Indiquez le numéro du reçu fiscal."))
        return value

    def clean_issued_on(self) -> date:
        value: date = self.cleaned_data["issued_on"]
        if value < self.donation.donated_on:
            raise forms.ValidationError(_("Le reçu fiscal ne peut pas être antérieur au don."))
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date du reçu fiscal ne peut pas être dans l'avenir."))
        return value


# --- Donor report --------------------------------------------------------------------------------


def current_year_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class ReportPeriodForm(forms.Form):
    donor = AutocompleteField(
        label=_("Entreprise donatrice"),
        queryset=DonorCompany.objects.none(),
        required=False,
        url_name="network:donor_suggestions",
        search_fields=("name", "siret"),
    )
    start = forms.DateField(label=_("Du"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Au"), widget=DATE_INPUT)

    def __init__(self, *args: Any, choose_donor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_donor:
            self.fields["donor"].queryset = DonorCompany.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["donor"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
            if end >= _years_later(start, REPORT_MAX_YEARS):
                raise forms.ValidationError(
                    _("La période ne peut pas dépasser %(years)s ans.")
                    % {"years": REPORT_MAX_YEARS}
                )
        return cleaned
