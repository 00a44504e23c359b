"""Forms the référent fills in: the bon d'orientation, the follow-up filters, the digest switch."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from solidarnum.beneficiaries.enums import ContactPreference, Public
from solidarnum.beneficiaries.labels import LANGUAGE_CHOICES
from solidarnum.beneficiaries.models import MIN_BIRTH_YEAR
from solidarnum.common.autocomplete import AutocompleteField
from solidarnum.network.models import ReceptionPoint
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral

NEEDS = ("equip", "connect", "support")
# "1" = start with this need. Each ticked need may get a number; those without come after.
PRIORITY_CHOICES = [("", "—"), ("1", "1"), ("2", "2"), ("3", "3")]


def _priority_field(need_label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        # Lazy all the way: the label is translated when shown, not at import.
        label=format_lazy(_("Numéro d'ordre pour « {need} » (facultatif)"), need=need_label),
        choices=PRIORITY_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choisissez 1, 2 ou 3.")},
    )


class ReferralForm(forms.ModelForm[Referral]):
    """The bon d'orientation. Only what the reception point needs; a birth year, never a date."""

    birth_year = forms.IntegerField(
        label=_("Année de naissance"),
        help_text=_("L'année seulement, par exemple 1985."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Indiquez l'année de naissance."),
            "invalid": _("L'année de naissance s'écrit avec 4 chiffres, par exemple 1985."),
        },
    )
    phone = PhoneNumberField(
        label=_("Téléphone"),
        region="FR",
        required=False,
        help_text=_("Numéro français, ou international commençant par +."),
        error_messages={
            "invalid": _(
                "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78, "
                "ou un numéro international commençant par +."
            )
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    publics = forms.MultipleChoiceField(
        label=_("Public"),
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reception_point = AutocompleteField(
        label=_("Point d'accueil"),
        queryset=ReceptionPoint.objects.none(),
        url_name="network:reception_point_suggestions",
        search_fields=("name", "commune", "postcode"),
        error_messages={
            "required": _("Choisissez le point d'accueil où la personne va se présenter."),
            "invalid_choice": _(
                "Ce point d'accueil n'existe pas ou n'accueille plus de public : "
                "choisissez-en un dans la liste."
            ),
        },
    )
    priority_equip = _priority_field(_("Équiper"))
    priority_connect = _priority_field(_("Connecter"))
    priority_support = _priority_field(_("Accompagner"))
    has_consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Cochez cette case : la personne doit être informée de l'utilisation "
                "de ses données avant l'envoi du bon."
            )
        },
    )

    class Meta:
        model = Referral
        fields = [
            "first_name",
            "last_name",
            "birth_year",
            "phone",
            "has_no_phone",
            "contact_notes",
            "email",
            "languages",
            "contact_preference",
            "housing",
            "publics",
            "needs_equip",
            "needs_equip_detail",
            "needs_connect",
            "needs_connect_detail",
            "needs_support",
            "needs_support_detail",
            "reception_point",
            "reason",
        ]
        labels = {
            "has_no_phone": _("La personne n'a pas de téléphone"),
            "email": _("E-mail (facultatif)"),
            "needs_equip": _("Équiper : obtenir un ordinateur, une tablette ou un smartphone"),
            "needs_connect": _("Connecter : obtenir un accès à internet ou un forfait"),
            "needs_support": _("Accompagner : apprendre à se servir du numérique"),
            "needs_equip_detail": _("Précision sur l'équipement (facultatif)"),
            "needs_connect_detail": _("Précision sur la connexion (facultatif)"),
            "needs_support_detail": _("Précision sur l'accompagnement (facultatif)"),
            "reason": _("Pourquoi orientez-vous cette personne ?"),
        }
        help_texts = {
            "contact_notes": _(
                "Obligatoire sans téléphone. Par exemple : joindre par l'intermédiaire "
                "du référent, ou passer au foyer le mardi."
            ),
            "reason": _(
                "Quelques phrases sur les démarches à faire. N'écrivez que ce qui est utile "
                "au point d'accueil."
            ),
        }
        error_messages = {
            "first_name": {"required": _("Indiquez le prénom.")},
            "last_name": {"required": _("Indiquez le nom.")},
            "housing": {"required": _("Indiquez la situation de logement.")},
            "reason": {
                "required": _("Indiquez le motif de l'orientation."),
                "max_length": _(
                    "Le motif ne doit pas dépasser %(limit_value)s caractères "
                    "(il en compte %(show_value)s) : gardez l'essentiel pour le point d'accueil."
                ),
            },
            "email": {"invalid": _("Cette adresse e-mail n'est pas valide.")},
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, usual_reception_point_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_birth_year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(
            {"min": MIN_BIRTH_YEAR, "max": self.max_birth_year}
        )
        points: Any = self.fields["reception_point"]
        points.queryset = ReceptionPoint.objects.active().order_by("name")
        if usual_reception_point_id and not self.is_bound:
            # Only a suggestion: an inactive usual point is refused at validation anyway.
            self.initial.setdefault("reception_point", usual_reception_point_id)
        self.fields["has_consent"].label_suffix = ""
        self.fields["has_consent"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _("La personne a été informée de l'utilisation de ses données."),
            reverse("referrals:privacy_notice"),
            _("Lire la notice d'information"),
        )

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_birth_year(self) -> int:
        year: int = self.cleaned_data["birth_year"]
        if not MIN_BIRTH_YEAR <= year <= self.max_birth_year:
            raise forms.ValidationError(
                _("L'année de naissance doit être comprise entre %(min)s et %(max)s."),
                code="out_of_range",
                params={"min": MIN_BIRTH_YEAR, "max": self.max_birth_year},
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        self._clean_contact(data)
        self._clean_needs(data)
        return data

    def _clean_contact(self, data: dict[str, Any]) -> None:
        if data.get("has_no_phone"):
            data["phone"] = ""  # "no phone" wins over a number typed by mistake
            if not (data.get("contact_notes") or "").strip() and "contact_notes" not in self.errors:
                self.add_error(
                    "contact_notes",
                    _("Sans téléphone, indiquez un autre moyen de joindre la personne."),
                )
            if data.get("contact_preference") in {ContactPreference.SMS, ContactPreference.CALL}:
                self.add_error(
                    "contact_preference",
                    _("Sans téléphone, la personne ne peut pas être jointe par SMS ou appel."),
                )
        elif not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                _(
                    "Indiquez un numéro de téléphone, "
                    "ou cochez « La personne n'a pas de téléphone »."
                ),
            )
        wants_email = data.get("contact_preference") == ContactPreference.EMAIL
        if wants_email and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Indiquez l'e-mail, ou choisissez un autre moyen."))

    def _clean_needs(self, data: dict[str, Any]) -> None:
        if not any(data.get(f"needs_{need}") for need in NEEDS):
            self.add_error(
                None,
                _("Cochez au moins un besoin : équiper, connecter ou accompagner."),
            )
        for need in NEEDS:
            if data.get(f"needs_{need}_detail") and not data.get(f"needs_{need}"):
                self.add_error(
                    f"needs_{need}_detail",
                    _("Cochez le besoin correspondant, ou effacez cette précision."),
                )
        self._clean_priority(data)

    def _clean_priority(self, data: dict[str, Any]) -> None:
        """The order of the ticked needs, stored on the referral (`needs_priority`)."""
        ranks: dict[str, int] = {}
        for need in NEEDS:
            rank = data.get(f"priority_{need}")
            if not rank:
                continue
            if not data.get(f"needs_{need}"):
                self.add_error(
                    f"priority_{need}", _("Cochez le besoin correspondant, ou retirez son numéro.")
                )
            else:
                ranks[need] = int(rank)
        if len(set(ranks.values())) < len(ranks):
            self.add_error(
                None, _("Deux besoins ont le même numéro : donnez un numéro différent à chacun.")
            )
        # Numbered needs first, by number; the others after, in the usual order.
        self.instance.needs_priority = sorted(ranks, key=ranks.__getitem__) + [
            need for need in NEEDS if data.get(f"needs_{need}") and need not in ranks
        ]

    def _get_validation_exclusions(self) -> Any:
        # The needs and phone rules are checked above, with clearer messages than the
        # database constraints would give.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.update({"needs_equip", "needs_connect", "needs_support", "phone"})
        return exclusions


class ReferralFilterForm(forms.Form):
    """Filters of the référent's follow-up list. Bad values are ignored, never an error page."""

    q = forms.CharField(
        label=_("Code ou nom"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *ReferralStatus.choices],
    )


class DigestSettingsForm(forms.Form):
    is_active = forms.BooleanField(
        label=_("Recevoir chaque semaine un récapitulatif de mes orientations par e-mail"),
        help_text=_(
            "Un e-mail par semaine, seulement s'il y a du nouveau : codes et statuts des bons, "
            "prénoms seulement."
        ),
        required=False,
    )
