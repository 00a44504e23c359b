from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.network.models import (
    DonorCompany,
    PartnerStructure,
    ReceptionPoint,
    RefurbishingPartner,
)

from .enums import DONOR_ROLES, REFURBISHER_ROLES, SITE_ROLES, STRUCTURE_ROLES, Role
from .models import User
from .scope import Scope


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle"))
    reception_point = AutocompleteField(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.none(),
        required=False,
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
        help_text=_("Pour un responsable, un conseiller ou un bénévole."),
    )
    partner_structure = AutocompleteField(
        label=_("Structure partenaire"),
        queryset=PartnerStructure.objects.none(),
        required=False,
        url_name="network:partner_suggestions",
        search_fields=("name", "commune"),
        help_text=_("Pour un référent ou un opérateur de relais."),
    )
    donor = AutocompleteField(
        label=_("Entreprise donatrice"),
        queryset=DonorCompany.objects.none(),
        required=False,
        url_name="network:donor_suggestions",
        search_fields=("name", "siret"),
        help_text=_("Pour un contact d'entreprise donatrice."),
    )
    refurbisher = forms.ModelChoiceField(
        label=_("Atelier de reconditionnement"),
        queryset=RefurbishingPartner.objects.none(),
        required=False,
        help_text=_("Pour un contact d'atelier de reconditionnement."),
    )
    is_lead = forms.BooleanField(
        label=_("Référent principal (peut inviter ses collègues)"), required=False
    )

    def __init__(self, *args: Any, scope: Scope, allowed_roles: list[Role], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["role"].choices = [(r.value, r.label) for r in allowed_roles]  # type: ignore[attr-defined]
        if scope.is_national_admin:
            self.fields["reception_point"].queryset = ReceptionPoint.objects.active()  # type: ignore[attr-defined]
            structures = PartnerStructure.objects.active().order_by("name")
            self.fields["partner_structure"].queryset = structures  # type: ignore[attr-defined]
            self.fields["donor"].queryset = DonorCompany.objects.filter(is_active=True)  # type: ignore[attr-defined]
            self.fields["refurbisher"].queryset = RefurbishingPartner.objects.filter(is_active=True)  # type: ignore[attr-defined]
        else:
            # Managers and lead référents invite into their own organisation only.
            for name in ("reception_point", "partner_structure", "donor", "refurbisher", "is_lead"):
                del self.fields[name]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.scope.is_national_admin or "role" not in data:
            return data
        role = Role(data["role"])
        needed = (
            "reception_point"
            if role in SITE_ROLES
            else "partner_structure"
            if role in STRUCTURE_ROLES
            else "donor"
            if role in DONOR_ROLES
            else "refurbisher"
            if role in REFURBISHER_ROLES
            else None
        )
        for name in ("reception_point", "partner_structure", "donor", "refurbisher"):
            if name == needed and not data.get(name):
                self.add_error(name, _("Choisissez l'organisation de rattachement pour ce rôle."))
            elif name != needed:
                data[name] = None
        if (
            role == Role.RELAY_OPERATOR
            and data.get("partner_structure")
            and not data["partner_structure"].is_relay
        ):
            self.add_error("partner_structure", _("Cette structure n'est pas un relais numérique."))
        if data.get("is_lead") and role != Role.REFERENT:
            data["is_lead"] = False
        return data


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres."),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            user = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
