"""Forms of the device pages: a manual status change and a data-erasure record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.equipment.enums import Status
from solidarnum.equipment.lifecycle import REASON_REQUIRED
from solidarnum.equipment.models import ErasureRecord
from solidarnum.equipment.validators import validate_certificate
from solidarnum.network.models import ReceptionPoint


class StatusChangeForm(forms.Form):
    """The statuses offered are the ones this person may choose for this device."""

    to_status = forms.ChoiceField(label=_("Nouveau statut"))
    reason = forms.CharField(
        label=_("Motif"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, targets: list[Status], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(target.value, target.label) for target in targets]
        needing = [str(target.label) for target in targets if target in REASON_REQUIRED]
        if needing:
            self.fields["reason"].help_text = _("Obligatoire pour : %(statuses)s.") % {
                "statuses": ", ".join(needing)
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("to_status")
        reason = (data.get("reason") or "").strip()
        data["reason"] = reason
        if target and Status(target) in REASON_REQUIRED and not reason:
            self.add_error("reason", _("Indiquez le motif de ce changement."))
        return data


class ErasureForm(forms.ModelForm[ErasureRecord]):
    """Proof of data erasure; the certificate is checked (a real PDF, not too big)."""

    class Meta:
        model = ErasureRecord
        fields = ["method", "tool", "performed_on", "operator", "result", "certificate"]
        widgets = {
            "performed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certificate": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        help_texts = {
            "tool": _("Le logiciel ou le procédé utilisé, par exemple « Blancco Drive Eraser »."),
            "operator": _("La personne ou l'atelier qui a effacé les données."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate"].help_text = _(
            "Le certificat remis par l'atelier, au format PDF (%(size)s Mo au plus)."
        ) % {"size": settings.EQUIPMENT_CERTIFICATE_MAX_BYTES // (1024 * 1024)}

    def clean_performed_on(self) -> Any:
        value = self.cleaned_data.get("performed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("La date de l'effacement ne peut pas être dans le futur.")
            )
        return value

    def clean_certificate(self) -> UploadedFile[bytes] | None:
        file = self.cleaned_data.get("certificate")
        if file:
            validate_certificate(file)
        return file or None

    def service_fields(self) -> dict[str, Any]:
        """What `services.record_erasure` takes besides the device and the file."""
        return {
            name: self.cleaned_data[name]
            for name in ("method", "tool", "performed_on", "operator", "result")
        }


class StockSiteForm(forms.Form):
    """The national team's choice of one reception point on the stock page (GET)."""

    site = AutocompleteField(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.none(),
        required=False,
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
        help_text=_("Laissez vide pour voir tous les points d'accueil."),
    )

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = points  # type: ignore[attr-defined]
