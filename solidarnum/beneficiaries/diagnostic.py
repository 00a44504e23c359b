"""The digital diagnostic done at a reception point.

Much simpler than Pix: a short list of concrete abilities, each mapped to a CRCN competence
(Cadre de référence des compétences numériques), answered "seul·e / avec aide / non". The
answers give one of the three profiles of the field and a list of suggested services.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import Ability, ConnectionKind, Equipment, Profile


class Question(NamedTuple):
    code: str
    label: Any  # lazy French msgid
    crcn: str


QUESTIONS: tuple[Question, ...] = (
    Question("power_on", gettext_lazy("Allumer et éteindre un ordinateur ou un smartphone"), "5.1"),
    Question(
        "mouse_keyboard", gettext_lazy("Utiliser la souris et le clavier d'un ordinateur"), "5.1"
    ),
    Question("unlock_phone", gettext_lazy("Déverrouiller et utiliser un smartphone"), "5.1"),
    Question("read_sms", gettext_lazy("Lire et envoyer un SMS"), "2.1"),
    Question("create_email", gettext_lazy("Créer une adresse e-mail"), "2.1"),
    Question("read_send_email", gettext_lazy("Lire et envoyer un e-mail"), "2.1"),
    Question(
        "browse_search", gettext_lazy("Aller sur internet et chercher une information"), "1.1"
    ),
    Question("fill_online_form", gettext_lazy("Remplir un formulaire en ligne"), "2.4"),
    Question(
        "create_password",
        gettext_lazy("Créer un mot de passe solide et le garder secret"),
        "4.1",
    ),
    Question(
        "protect_personal_data",
        gettext_lazy("Reconnaître une arnaque et protéger ses données personnelles"),
        "4.2",
    ),
    Question("install_app", gettext_lazy("Installer une application sur un smartphone"), "5.2"),
    Question("video_call", gettext_lazy("Passer un appel vidéo"), "2.1"),
    Question(
        "send_attachment",
        gettext_lazy("Envoyer un document en pièce jointe (photo, justificatif)"),
        "2.2",
    ),
    Question("type_document", gettext_lazy("Écrire un document simple (lettre, CV)"), "3.1"),
    Question(
        "online_admin_account",
        gettext_lazy("Utiliser un compte en ligne d'administration (CAF, France Travail, impôts)"),
        "2.4",
    ),
)

QUESTION_CODES: tuple[str, ...] = tuple(q.code for q in QUESTIONS)

# Using a device at all: without one of these, done alone, nothing else is possible.
DEVICE_CODES: tuple[str, ...] = ("mouse_keyboard", "unlock_phone")

# The basics taught in the 12-hour initiation course: all of them alone makes "avancé".
CORE_CODES: tuple[str, ...] = (
    "power_on",
    "mouse_keyboard",
    "unlock_phone",
    "read_send_email",
    "browse_search",
    "create_password",
)

# Above this monthly spend on prepaid cards, the solidarity top-up saves real money.
HIGH_PREPAID_SPEND = Decimal("20")

DEVICES_FOR_GOING_ONLINE = frozenset({Equipment.COMPUTER, Equipment.SMARTPHONE})


def compute_profile(answers: Mapping[str, str]) -> Profile:
    """The profile from the answers (question code -> `Ability` value).

    A missing answer counts as "non". Rules, checked in this order:

    1. "exclu" when the person cannot use a device alone: "power_on" is not "seul·e", or
       neither "mouse_keyboard" nor "unlock_phone" is "seul·e" (a phone alone is enough); or
       when a strict majority of all the questions is answered "non".
    2. "avancé" when every basic of `CORE_CODES` is "seul·e".
    3. "débutant ou intermédiaire" otherwise: some basics, or all of them with help.
    """

    def answer(code: str) -> str:
        return answers.get(code, Ability.NO)

    noes = sum(1 for code in QUESTION_CODES if answer(code) == Ability.NO)
    cannot_use_a_device = answer("power_on") != Ability.ALONE or all(
        answer(code) != Ability.ALONE for code in DEVICE_CODES
    )
    if cannot_use_a_device or noes * 2 > len(QUESTION_CODES):
        return Profile.EXCLUDED
    if all(answer(code) == Ability.ALONE for code in CORE_CODES):
        return Profile.ADVANCED
    return Profile.BEGINNER


def count_alone(answers: Mapping[str, str]) -> int:
    """How many abilities the person has alone: shows progress from one diagnostic to the next."""
    return sum(1 for code in QUESTION_CODES if answers.get(code) == Ability.ALONE)


def suggest_services(profile: str, diagnostic: Any) -> list[str]:
    """The services to offer, from the profile and what the person owns and pays.

    `diagnostic` is a `Diagnostic` (saved or not): its `equipment`, `connection` and
    `telecom_spend_monthly` are read.
    """
    suggestions: list[str] = []
    equipment = set(diagnostic.equipment or [])
    if not equipment & DEVICES_FOR_GOING_ONLINE:
        suggestions.append(_("Équiper : matériel reconditionné"))
    spend = diagnostic.telecom_spend_monthly
    high_spend = spend is not None and Decimal(spend) > HIGH_PREPAID_SPEND
    connection = diagnostic.connection
    if connection in (ConnectionKind.NONE, ConnectionKind.PUBLIC_WIFI) or (
        connection == ConnectionKind.PREPAID and high_spend
    ):
        suggestions.append(_("Connecter : recharge solidaire"))
    elif high_spend:
        suggestions.append(_("Connecter : rendez-vous conseil pour choisir une offre"))
    if profile in (Profile.EXCLUDED, Profile.BEGINNER):
        suggestions.append(_("Accompagner : parcours d'initiation 12 h"))
    else:
        suggestions.append(_("Accompagner : permanence connectée ponctuelle"))
    return suggestions
