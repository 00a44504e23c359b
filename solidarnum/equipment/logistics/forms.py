"""Forms of the logistics pages: transfers between places and stock counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy, ngettext

from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.equipment.enums import DeviceKind
from solidarnum.equipment.models import Device, ImportBatch
from solidarnum.network.models import ReceptionPoint

from .selectors import Origin, origin_choices

# How many eligible devices the sending page lists at once; filters narrow the rest.
ELIGIBLE_CAP = 200


# --- Forms -------------------------------------------------------------------------------------


def _posted_list(data: Any, name: str) -> list[str]:
    """Every value posted under `name` (several checkboxes share one name)."""
    return [str(v) for v in data.getlist(name)] if hasattr(data, "getlist") else []


class OriginForm(forms.Form):
    """The national team first chooses where the devices leave from."""

    origin = forms.ChoiceField(label=gettext_lazy("Départ des appareils"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["origin"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *origin_choices()]


class EligibleFilterForm(forms.Form):
    """Narrows the list of devices ready to leave (GET, never saved)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("Tous les types")), *DeviceKind.choices],
    )
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Lot"),
        required=False,
        queryset=ImportBatch.objects.none(),
        empty_label=gettext_lazy("Tous les lots"),
        error_messages={
            "invalid_choice": gettext_lazy("Ce lot n'a aucun appareil prêt à partir d'ici.")
        },
    )

    def __init__(self, *args: Any, eligible: QuerySet[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot_field = self.fields["lot"]
        assert isinstance(lot_field, forms.ModelChoiceField)
        # Only the batches that still have a device ready to leave from here.
        lot_field.queryset = ImportBatch.objects.filter(
            pk__in=eligible.order_by().values("batch_id")
        ).order_by("-imported_at", "-id")

    def apply(self, eligible: QuerySet[Device]) -> QuerySet[Device]:
        if not self.is_valid():
            return eligible
        if self.cleaned_data.get("kind"):
            eligible = eligible.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("lot"):
            eligible = eligible.filter(batch=self.cleaned_data["lot"])
        return eligible


class TransferForm(forms.Form):
    to_point = AutocompleteField(
        label=gettext_lazy("Point d'accueil de destination"),
        queryset=ReceptionPoint.objects.none(),
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
        error_messages={"required": gettext_lazy("Choisissez le point d'accueil de destination.")},
    )
    devices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Appareils à envoyer"),
        queryset=Device.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Cochez au moins un appareil à envoyer."),
            "invalid_choice": gettext_lazy(
                "Un des appareils cochés ne peut plus partir d'ici (déjà envoyé ou changé de "
                "statut). Rechargez la page et cochez à nouveau."
            ),
            "invalid_pk_value": gettext_lazy("Un des appareils cochés n'existe pas."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Remarque pour le point d'accueil (facultatif)"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, origin: Origin, eligible: QuerySet[Device], **kwargs: Any):
        super().__init__(*args, **kwargs)
        destinations = ReceptionPoint.objects.active().order_by("name")
        if origin.site_id is not None:
            destinations = destinations.exclude(pk=origin.site_id)
        to_point = self.fields["to_point"]
        devices = self.fields["devices"]
        assert isinstance(to_point, forms.ModelChoiceField)
        assert isinstance(devices, forms.ModelMultipleChoiceField)
        to_point.queryset = destinations
        # Every eligible device validates, not only the ones listed on the page.
        devices.queryset = eligible

    def checked_ids(self) -> set[str]:
        if not self.is_bound:
            return set()
        return set(_posted_list(self.data, "devices"))


class ReceiveForm(forms.Form):
    """Tick what arrived; describe the gap when something is missing."""

    received = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Appareils reçus"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("Un appareil coché ne fait pas partie de ce transfert.")
        },
    )
    discrepancy_note = forms.CharField(
        label=gettext_lazy("Écart constaté"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Obligatoire si un appareil n'est pas coché : manquant, abîmé, autre appareil reçu…"
        ),
    )

    def __init__(self, *args: Any, device_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device_ids = device_ids
        received = self.fields["received"]
        assert isinstance(received, forms.TypedMultipleChoiceField)
        received.choices = [(str(pk), str(pk)) for pk in device_ids]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        received = set(cleaned.get("received") or [])
        missing = [pk for pk in self.device_ids if pk not in received]
        if "received" in cleaned and missing and not cleaned.get("discrepancy_note", "").strip():
            self.add_error(
                "discrepancy_note",
                ngettext(
                    "%(n)s appareil non coché : décrivez l'écart (manquant, abîmé…) avant "
                    "de valider.",
                    "%(n)s appareils non cochés : décrivez l'écart (manquant, abîmé…) avant "
                    "de valider.",
                    len(missing),
                )
                % {"n": len(missing)},
            )
        return cleaned

    def checked_ids(self) -> set[int]:
        """Ticked boxes: all of them before the first try, then what the person left ticked."""
        if not self.is_bound:
            return set(self.device_ids)
        return {int(v) for v in _posted_list(self.data, "received") if v.isdigit()}


class ScanForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Numéro de série ou IMEI"),
        max_length=80,
        error_messages={"required": gettext_lazy("Scannez ou tapez un numéro de série.")},
    )
