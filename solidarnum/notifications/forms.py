from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField


class PhoneForm(forms.Form):
    phone = PhoneNumberField(
        label=_("Nouveau numéro"),
        region="FR",
        help_text=_("Vérifiez-le avec la personne. Numéro français, ou international avec +."),
        error_messages={
            "required": _("Indiquez le numéro."),
            "invalid": _(
                "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78, "
                "ou un numéro international commençant par +."
            ),
        },
    )
