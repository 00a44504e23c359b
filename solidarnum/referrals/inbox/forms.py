"""Forms of the reception point's decisions on a referral."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarnum.referrals.models import Referral, RefusalReason

NEW_FILE = "new"
# The reason whose label says "précisé en commentaire".
OTHER_REASON_CODE = "autre"


class ValidateReferralForm(forms.Form):
    """Open a new file, or link the referral to an existing file of the site.

    The choice is rendered as radio buttons in the template (the possible duplicates); the view
    fetches the chosen file through the scoped selector, so another site's file answers 404.
    """

    target = forms.CharField(
        label=_("Dossier"),
        error_messages={
            "required": _(
                "Choisissez : créer un nouveau dossier ou rattacher la personne à un dossier "
                "existant."
            )
        },
    )

    def clean_target(self) -> uuid.UUID | None:
        value = self.cleaned_data["target"].strip()
        if value == NEW_FILE:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError(_("Ce dossier n'existe pas.")) from None


class RefuseReferralForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Motif du refus"),
        queryset=RefusalReason.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choisissez un motif de refus."),
            "invalid_choice": _("Ce motif de refus n'est pas proposé."),
        },
    )
    comment = forms.CharField(
        label=_("Commentaire pour le référent"),
        required=False,
        max_length=Referral._meta.get_field("refusal_comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le référent le lira avec le motif. Obligatoire pour « Autre motif »."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        reason = cleaned.get("reason")
        comment = cleaned.get("comment", "").strip()
        cleaned["comment"] = comment
        if reason is not None and reason.code == OTHER_REASON_CODE and not comment:
            self.add_error("comment", _("Précisez le motif dans le commentaire."))
        return cleaned
