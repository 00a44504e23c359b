from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from solidarnum.common import validators
from solidarnum.common.autocomplete import AutocompleteField

from .enums import PlaceService
from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner

ADDRESS_FIELDS = [
    "address",
    "address_complement",
    "postcode",
    "commune",
    "insee_code",
    "latitude",
    "longitude",
]


class SiretFormMixin(forms.ModelForm[Any]):
    """Accepts a SIRET typed with spaces and stores the 14 digits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["siret"]
        field.max_length = 20
        field.widget.attrs["maxlength"] = "20"
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.help_text = _("14 chiffres ; les espaces sont acceptés.")

    def clean_siret(self) -> str:
        value = validators.normalize_siret(self.cleaned_data.get("siret", ""))
        if value:
            validators.validate_siret(value)
        return value


class ReceptionPointForm(forms.ModelForm[ReceptionPoint]):
    services = forms.MultipleChoiceField(
        label=_("Services proposés"),
        choices=PlaceService.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ReceptionPoint
        fields = [
            "name",
            *ADDRESS_FIELDS,
            "phone",
            "email",
            "opening_hours",
            "services",
            "accessibility_notes",
            "is_active",
        ]


class SiteManagerReceptionPointForm(ReceptionPointForm):
    """A site manager edits their site's practical details, not its name or status."""

    class Meta(ReceptionPointForm.Meta):
        fields = [
            *ADDRESS_FIELDS,
            "phone",
            "email",
            "opening_hours",
            "services",
            "accessibility_notes",
        ]


class PartnerStructureForm(SiretFormMixin, forms.ModelForm[PartnerStructure]):
    class Meta:
        model = PartnerStructure
        fields = [
            "name",
            "typology",
            "siret",
            *ADDRESS_FIELDS,
            "phone",
            "email",
            "contact_name",
            "contact_email",
            "contact_phone",
            "reception_point",
            "is_relay",
            "opening_hours",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 300 places nationally: a name with suggestions, not a select (ADR 0024).
        model_field = self.fields["reception_point"]
        self.fields["reception_point"] = AutocompleteField(
            queryset=ReceptionPoint.objects.order_by("name"),
            url_name="network:reception_point_suggestions",
            search_fields=("name", "commune", "postcode"),
            label=model_field.label,
            help_text=model_field.help_text,
            required=model_field.required,
        )


class DonorCompanyForm(SiretFormMixin, forms.ModelForm[DonorCompany]):
    class Meta:
        model = DonorCompany
        fields = ["name", "siret", *ADDRESS_FIELDS, "contact_name", "phone", "email", "is_active"]


class RefurbishingPartnerForm(SiretFormMixin, forms.ModelForm[RefurbishingPartner]):
    class Meta:
        model = RefurbishingPartner
        fields = ["name", "siret", *ADDRESS_FIELDS, "contact_name", "phone", "email", "is_active"]
