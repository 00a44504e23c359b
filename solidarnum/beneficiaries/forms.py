"""Forms of the file pages. Each error is a French sentence a non-expert can act on."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .diagnostic import QUESTION_CODES, QUESTIONS, Question, compute_profile
from .enums import Ability, ConnectionKind, Equipment, ExitOutcome, Profile
from .services import MAX_TELECOM_SPEND, NOTE_MAX_LENGTH

ANSWER_REQUIRED = _("Choisissez une réponse : seul·e, avec aide ou non.")


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nouvelle note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("La note est vide."),
            "max_length": _("La note est trop longue (%(limit_value)s caractères au plus)."),
        },
    )


class DiagnosticForm(forms.Form):
    """One radio group per ability, then equipment, connection and telecom budget."""

    equipment = forms.MultipleChoiceField(
        label=_("Matériel dont la personne dispose"),
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    connection = forms.ChoiceField(
        label=_("Connexion à internet"),
        choices=ConnectionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le type de connexion.")},
    )
    telecom_spend_monthly = forms.DecimalField(
        label=_("Dépenses de téléphone et internet par mois (en euros)"),
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_TELECOM_SPEND,
        max_digits=5,
        decimal_places=2,
        localize=True,  # accepts "12,50"
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Par exemple 15 ou 12,50. Laissez vide si la personne ne sait pas."),
        error_messages={
            "invalid": _("Indiquez un montant en euros, par exemple 15 ou 12,50."),
            "min_value": _("Le montant ne peut pas être négatif."),
            "max_value": _("Indiquez un montant de 500 € au plus par mois."),
            "max_digits": _("Indiquez un montant de 500 € au plus par mois."),
            "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule."),
        },
    )
    profile_override = forms.ChoiceField(
        label=_("Profil retenu"),
        choices=[("", _("Le profil calculé à partir des réponses")), *Profile.choices],
        required=False,
        help_text=_("Changez-le seulement si le calcul ne reflète pas la situation."),
    )
    override_reason = forms.CharField(
        label=_("Pourquoi changer le profil calculé ?"), max_length=255, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {
            question.code: forms.ChoiceField(
                label=question.label,
                choices=Ability.choices,
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED, "invalid_choice": ANSWER_REQUIRED},
            )
            for question in QUESTIONS
        }
        # The questions come first, in their order.
        self.fields = {**questions, **self.fields}

    def question_rows(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[question.code]) for question in QUESTIONS]

    def other_fields(self) -> list[forms.BoundField]:
        codes = set(QUESTION_CODES)
        return [field for field in self if field.name not in codes]

    def answers(self) -> dict[str, str]:
        return {question.code: self.cleaned_data[question.code] for question in QUESTIONS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        override = cleaned.get("profile_override")
        if override and all(question.code in cleaned for question in QUESTIONS):
            computed = compute_profile(self.answers())
            if override != computed and not cleaned.get("override_reason", "").strip():
                self.add_error(
                    "override_reason",
                    _(
                        "Le profil calculé est « %(profile)s » : expliquez pourquoi vous en "
                        "retenez un autre."
                    )
                    % {"profile": computed.label},
                )
        return cleaned


class ExitForm(forms.Form):
    """The "bagage numérique minimum" checklist and how access ends."""

    is_equipped = forms.BooleanField(label=_("Équipé·e"), required=False)
    is_connected = forms.BooleanField(label=_("Connecté·e"), required=False)
    has_basic_skills = forms.BooleanField(label=_("Compétences de base acquises"), required=False)
    outcome = forms.ChoiceField(
        label=_("Motif de sortie"),
        choices=ExitOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le motif de sortie.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=255,
        required=False,
        help_text=_("Des faits, sans détail sensible."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        checklist = ("is_equipped", "is_connected", "has_basic_skills")
        if cleaned.get("outcome") == ExitOutcome.AUTONOMOUS and not all(
            cleaned.get(name) for name in checklist
        ):
            self.add_error(
                "outcome",
                _(
                    "« Bagage numérique minimum atteint » demande les trois cases : équipé·e, "
                    "connecté·e et compétences de base acquises."
                ),
            )
        return cleaned


class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher un autre dossier (nom, téléphone ou identifiant)"),
        required=False,
        max_length=100,
    )


class MergeForm(forms.Form):
    """The file to merge into the current one, by its public id."""

    merged = forms.UUIDField(
        label=_("Identifiant du dossier en double"),
        error_messages={
            "required": _("Choisissez le dossier en double."),
            "invalid": _("Cet identifiant de dossier n'est pas valide."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Je confirme qu'il s'agit de la même personne."),
        error_messages={"required": _("Cochez la case pour confirmer la fusion.")},
    )
