"""French names of what the audit trail stores: object kinds (`app.model`) and field names.

One source: the models' `verbose_name` and their fields' `verbose_name`. The tables below only
name what the models leave unnamed (technical fields, names that group several fields), so that
no raw English name reaches a screen. No database query here.
"""

import unicodedata

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Models without a French verbose_name of their own.
KIND_LABELS = {
    "referrals.digestsubscription": _("abonnement au récapitulatif"),
}

# Lines of another object's history: never the object of an audit row, so not offered in filters.
NOT_AUDITED_KINDS = frozenset(
    {
        "privacy.auditevent",
        "beneficiaries.timelineentry",
        "equipment.deviceevent",
        "equipment.donationitem",
        "equipment.transferitem",
        "equipment.stockcountscan",
        "equipment.importjob",
    }
)

# Fields whose verbose_name is missing, and names written to the trail that are not one field.
FIELD_LABELS = {
    "accepted_at": _("acceptée le"),
    "login_lockout": _("blocage de connexion"),
    "actor": _("auteur"),
    "anonymised_at": _("anonymisé le"),
    "at": _("date"),
    "author": _("auteur"),
    "computed_profile": _("profil calculé"),
    "created_at": _("créé le"),
    "created_by": _("créé par"),
    "deactivated_at": _("désactivé le"),
    "decided_at": _("décidé le"),
    "decided_by": _("décidé par"),
    "devices": _("appareils"),
    "done_by": _("fait par"),
    "erasure_certificate": _("certificat d'effacement"),
    "expires_at": _("expire le"),
    "from_status": _("statut de départ"),
    "imported_by": _("importé par"),
    "invited_by": _("invité par"),
    "key_hash": _("empreinte de la clé"),
    "kind": _("type"),
    "last_sent_at": _("dernier envoi le"),
    "milestone": _("étape du parcours"),
    "missing": _("appareils manquants"),
    "needs": _("besoins"),
    "object_id": _("objet"),
    "object_type": _("type d'objet"),
    "performed_at": _("fait le"),
    "performed_by": _("fait par"),
    "position": _("ordre"),
    "public_id": _("identifiant public"),
    "received_by": _("reçu par"),
    "recorded_at": _("enregistré le"),
    "recorded_by": _("enregistré par"),
    "reminded_at": _("relancé le"),
    "revoked_at": _("révoqué le"),
    "scanned_at": _("scanné le"),
    "scanned_by": _("scanné par"),
    "search_name": _("nom de recherche"),
    "sent_by": _("envoyé par"),
    "started_by": _("commencé par"),
    "suggested_services": _("services proposés"),
    "summary": _("résumé"),
    "to_status": _("statut d'arrivée"),
    "token": _("jeton"),
    "unexpected": _("appareils inattendus"),
}

# Fields that share one verbose_name on their form, told apart here.
QUALIFIED_FIELD_LABELS = {
    "needs_equip_detail": _("précision du besoin : équiper"),
    "needs_connect_detail": _("précision du besoin : connecter"),
    "needs_support_detail": _("précision du besoin : accompagner"),
}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _explicit(label: object) -> bool:
    return isinstance(label, Promise)  # set by hand with gettext_lazy, not derived from a name


def kind_label(object_type: str) -> str:
    """ "Bénéficiaire" for "beneficiaries.beneficiary"; the raw type for a removed model."""
    if object_type in KIND_LABELS:
        return capfirst(str(KIND_LABELS[object_type]))
    model = _model(object_type)
    if model is None:
        return object_type
    return capfirst(str(model._meta.verbose_name))


def _field_verbose_name(model: type[models.Model], name: str) -> object | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.ForeignObjectRel):  # a reverse relation: the related rows
        meta = field.related_model._meta
        # Django's derived plural only appends an "s" to the whole name: not French.
        return meta.original_attrs.get("verbose_name_plural", meta.verbose_name)
    if _explicit(field.verbose_name):
        return field.verbose_name
    related = field.related_model
    # A key named after what it points to ("beneficiary", "reception_point").
    if isinstance(related, type) and name.replace("_", "") == related._meta.model_name:
        return related._meta.verbose_name
    return None


def field_label(object_type: str, name: str) -> str:
    if name in QUALIFIED_FIELD_LABELS:
        return capfirst(str(QUALIFIED_FIELD_LABELS[name]))
    model = _model(object_type)
    label = _field_verbose_name(model, name) if model is not None else None
    if label is None:
        label = FIELD_LABELS.get(name, name)
    return capfirst(str(label))


def field_labels(object_type: str, names: list[str]) -> list[str]:
    return sorted((field_label(object_type, name) for name in names), key=sort_key)


def sort_key(text: str) -> str:
    """French alphabetical order: accents do not push "Bénéficiaire" after "Bon"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def kind_choices() -> list[tuple[str, str]]:
    """Every kind of object of ours the trail may name, by French label."""
    choices = [
        (model._meta.label_lower, kind_label(model._meta.label_lower))
        for model in apps.get_models()
        if model.__module__.startswith("solidarnum.")
        and model._meta.label_lower not in NOT_AUDITED_KINDS
    ]
    return sorted(choices, key=lambda choice: sort_key(choice[1]))
