"""Forms of the batch pages: the file to import, the bulk status change, the certificate."""

from __future__ import annotations

from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.accounts.scope import Scope
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.common.errors import ServiceError
from solidarnum.equipment.enums import Status
from solidarnum.equipment.models import Device, Donation, ImportBatch
from solidarnum.equipment.selectors import donations_for
from solidarnum.equipment.validators import validate_certificate

from .files import read_device_file


def donation_label(obj: Donation) -> str:
    day = formats.date_format(obj.donated_on, "SHORT_DATE_FORMAT")
    return f"{obj.reference} · {obj.donor.name} · {day}"


class DonationChoiceField(AutocompleteField):
    """A workshop's donations grow with the years: a reference or a donor's name, suggested."""

    def label_from_instance(self, obj: Any) -> str:
        return donation_label(obj)


class BatchImportForm(forms.Form):
    donation = DonationChoiceField(
        label=gettext_lazy("Don concerné"),
        queryset=Donation.objects.none(),
        url_name="equipment:donation_suggestions",
        search_fields=("reference", "donor__name"),
        help_text=gettext_lazy("Les appareils du fichier seront rattachés à ce don."),
    )
    file = forms.FileField(
        label=gettext_lazy("Fichier des appareils"),
        help_text=gettext_lazy("CSV (UTF-8, séparateur « ; » ou « , ») ou Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A workshop only sees the donations routed to it (and the national team, all).
        self.fields["donation"].queryset = donations_for(scope).order_by("-donated_on", "-id")  # type: ignore[attr-defined]
        self.content = b""
        self.dataset: tablib.Dataset | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        max_bytes = settings.EQUIPMENT_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > max_bytes:
            raise ValidationError(
                _("Le fichier est trop lourd (%(size)s) : %(max)s au maximum.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
            )
        self.content = upload.read(max_bytes + 1)
        try:
            self.dataset = read_device_file(upload.name or "", self.content)
        except ServiceError as error:
            raise ValidationError(str(error)) from None
        return upload


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


# The moves a workshop makes on a whole batch, and the status each one starts from.
ADVANCE_FROM = {
    Status.AT_REFURBISHER: Status.RECEIVED,
    Status.BACK_FROM_WORKSHOP: Status.AT_REFURBISHER,
}


class BatchAdvanceForm(forms.Form):
    to_status = forms.ChoiceField(
        label=gettext_lazy("Nouveau statut"),
        choices=[(status.value, status.label) for status in ADVANCE_FROM],
    )
    devices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Appareils"),
        queryset=Device.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    whole_batch = forms.BooleanField(label=gettext_lazy("Tout le lot"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Motif (facultatif)"), max_length=255, required=False
    )

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.fields["devices"].queryset = batch.devices.all()  # type: ignore[attr-defined]
        self.fields["devices"].error_messages["invalid_choice"] = _(
            "Un des appareils cochés ne fait pas partie de ce lot."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not data.get("whole_batch") and not data.get("devices"):
            raise ValidationError(_("Cochez au moins un appareil, ou choisissez « tout le lot »."))
        return data

    def selected_devices(self) -> QuerySet[Device]:
        """The devices to move: the ticked ones, or the whole batch at the starting status."""
        target = Status(self.cleaned_data["to_status"])
        if self.cleaned_data.get("whole_batch"):
            devices = self.batch.devices.filter(status=ADVANCE_FROM[target])
        else:
            devices = self.batch.devices.filter(pk__in=[d.pk for d in self.cleaned_data["devices"]])
        return devices.order_by("pk")


class BatchCertificateForm(forms.Form):
    certificate = forms.FileField(
        label=gettext_lazy("Certificat d'effacement (PDF)"),
        help_text=gettext_lazy(
            "Il sera joint à tous les effacements du lot qui n'ont pas encore de certificat."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_certificate(self) -> Any:
        upload = self.cleaned_data["certificate"]
        max_bytes = settings.EQUIPMENT_CERTIFICATE_MAX_BYTES
        # Said here with a readable size (the model validator rounds to whole megabytes).
        if upload.size is not None and upload.size > max_bytes:
            raise ValidationError(
                _("Le certificat est trop lourd (%(size)s) : %(max)s au maximum.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
            )
        validate_certificate(upload)
        return upload
