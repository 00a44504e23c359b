from __future__ import annotations

from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarnum.common.errors import ServiceError

from .files import read_delivery_file


class DeliveryImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier de la livraison"),
        help_text=gettext_lazy("CSV (UTF-8, séparateur « ; » ou « , ») ou Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = b""
        self.dataset: tablib.Dataset | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        max_bytes = settings.CONNECTIVITY_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > max_bytes:
            raise ValidationError(
                _("Le fichier est trop lourd (%(size)s) : %(max)s au maximum.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
            )
        self.content = upload.read(max_bytes + 1)
        try:
            self.dataset = read_delivery_file(upload.name or "", self.content)
        except ServiceError as error:
            raise ValidationError(str(error)) from None
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
