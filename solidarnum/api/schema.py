"""What the OpenAPI schema states beyond what drf-spectacular reads from the code.

The schema tells the truth, so that a client (or schemathesis) generating requests from it
gets them accepted: every error answer with its body, the rate-limit and idempotency headers,
and for a referral the rules between fields (a phone number or none, at least one need, a
contact preference that can be used...), written with `anyOf`/`allOf` since OpenAPI 3.0 has
no `if`/`then`. The phone pattern is built from the numbering plan `phonenumbers` validates
against (French fixed and mobile numbers); the API also accepts spaces, dots, dashes and
foreign numbers in international format, which the pattern does not describe.
"""

from typing import Any

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from solidarnum.network.models import ReceptionPoint

from . import idempotency
from .parsers import MAX_BODY_BYTES, MAX_DEPTH
from .serializers import MAX_ID, NEEDS

# A string that is not blank once trimmed, and has no NUL character (refused by DRF).
TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"
OPTIONAL_TEXT = r"^[^\x00]*$"
BLANK = r"^\s*$"


def french_phone_pattern() -> str:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    assert metadata is not None and metadata.fixed_line and metadata.mobile
    national = "|".join(
        f"(?:{desc.national_number_pattern})" for desc in (metadata.fixed_line, metadata.mobile)
    )
    # ASCII digits only: `\d` would also match other scripts' digits.
    return rf"^(?:\+33|0)(?:{national})$".replace(r"\d", "[0-9]")


def _is(field: str, *values: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {field: {"enum": list(values)}}, "required": [field]}


def _cross_field_rules() -> list[dict[str, Any]]:
    has_phone = {
        "type": "object",
        "properties": {"phone": {"minLength": 1}, "has_no_phone": {"enum": [False]}},
        "required": ["phone"],
    }
    no_phone = {
        "type": "object",
        "properties": {
            "has_no_phone": {"enum": [True]},
            "phone": {"maxLength": 0},
            "contact_notes": {"pattern": TEXT},
        },
        "required": ["has_no_phone", "contact_notes"],
    }
    preference = {
        "anyOf": [
            {"not": {"required": ["contact_preference"]}},
            _is("contact_preference", "referent"),
            {**_is("contact_preference", "sms", "call"), "allOf": [has_phone]},
            {
                "type": "object",
                "properties": {
                    "contact_preference": {"enum": ["email"]},
                    "email": {"minLength": 1},
                },
                "required": ["contact_preference", "email"],
            },
        ]
    }
    details = [
        {
            "anyOf": [
                _is(f"needs_{need}", True),
                {"properties": {f"needs_{need}_detail": {"pattern": BLANK}}},
            ]
        }
        for need in NEEDS
    ]
    return [
        {"anyOf": [has_phone, no_phone]},
        preference,
        {"anyOf": [_is(f"needs_{need}", True) for need in NEEDS]},
        *details,
    ]


def state_referral_rules(
    result: dict[str, Any], request: Any = None, **kwargs: Any
) -> dict[str, Any]:
    """Postprocessing hook (after drf-spectacular's enum hook, which would lift the enums
    of the rules into components): the referral's field rules, in its request component."""
    schema = result["components"]["schemas"]["ReferralCreateRequest"]
    properties = schema["properties"]
    for name, prop in properties.items():
        if prop.get("type") == "string" and "format" not in prop:
            prop["pattern"] = TEXT if name in schema.get("required", []) else OPTIONAL_TEXT
    properties["phone"].update(
        pattern=rf"{french_phone_pattern()}|^$",
        description=str(
            _(
                "Numéro français, par exemple 0612345678 ou +33612345678 (espaces, points et "
                "tirets acceptés), ou un numéro étranger au format international ; vide avec "
                "« has_no_phone »: true."
            )
        ),
    )
    properties["reception_point"].update(
        minimum=1,
        maximum=MAX_ID,
        description=str(
            _("Identifiant d'un point d'accueil ouvert ; par défaut, celui de votre structure.")
        ),
    )
    if request is not None:
        # Served schema: the open reception points, any other id is refused. Generated without
        # a request (system checks, `manage.py spectacular`), it reads no database.
        points = list(ReceptionPoint.objects.active().order_by("pk").values_list("pk", "name"))
        if points:
            properties["reception_point"]["enum"] = [pk for pk, _name in points]
            properties["reception_point"]["description"] += "\n\n" + "\n".join(
                f"* `{pk}` - {name}" for pk, name in points
            )
    properties["consent"]["enum"] = [True]
    schema["additionalProperties"] = False
    schema["allOf"] = _cross_field_rules()
    return result


def _error(description: Any) -> OpenApiResponse:
    return OpenApiResponse(response=ERROR, description=description)


ERROR: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_MESSAGES: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": str(
        _(
            "Erreurs par champ (ou « non_field_errors ») ; pour une liste, par position "
            "de l'élément."
        )
    ),
    "additionalProperties": {
        "anyOf": [
            FIELD_MESSAGES,
            {"type": "object", "additionalProperties": FIELD_MESSAGES},
        ]
    },
}

UNAUTHENTICATED = _error(_("Jeton absent, inconnu, révoqué, ou compte qui n'est plus référent."))
FORBIDDEN = _error(_("Session d'un compte qui n'est pas référent."))
THROTTLED = _error(
    _(
        "Trop de requêtes : %(rate)s par minute et par jeton par défaut. L'en-tête Retry-After "
        "dit dans combien de secondes réessayer."
    )
    % {"rate": settings.API_RATE_PER_MINUTE}
)
COMMON_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN, 429: THROTTLED}

LIST_ERRORS = {
    400: OpenApiResponse(
        response=FIELD_ERRORS,
        description=_("Valeur de filtre ou taille de page non valide."),
    ),
    404: _error(_("Curseur de pagination non valide.")),
    **COMMON_ERRORS,
}
CREATE_ERRORS = {
    400: OpenApiResponse(
        response={"anyOf": [FIELD_ERRORS, ERROR]},
        description=_(
            "Données invalides, rien n'est enregistré : erreurs par champ, ou « detail » pour "
            "un corps illisible (JSON mal formé, plus de %(depth)s niveaux d'imbrication, plus "
            "de %(size)s Kio) ou un en-tête Idempotency-Key mal formé."
        )
        % {"depth": MAX_DEPTH, "size": MAX_BODY_BYTES // 1024},
    ),
    415: _error(_("Corps qui n'est pas du JSON (Content-Type: application/json).")),
    422: _error(
        _("Clé d'idempotence déjà utilisée dans les dernières 24 heures pour une autre requête.")
    ),
    **COMMON_ERRORS,
}
DETAIL_ERRORS = {404: _error(_("Code inconnu, ou bon d'une autre structure.")), **COMMON_ERRORS}

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    {"type": "integer", "minimum": 0},
    OpenApiParameter.HEADER,
    required=True,
    description=_("Secondes à attendre avant de réessayer."),
    response=[429],
)
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    {
        "type": "string",
        "minLength": idempotency.MIN_LENGTH,
        "maxLength": idempotency.MAX_LENGTH,
        "pattern": idempotency.PATTERN,
    },
    OpenApiParameter.HEADER,
    description=_(
        "Facultatif, recommandé : une valeur unique par bon (un UUID). Renvoyer la même "
        "requête avec la même clé, par exemple après une coupure réseau, renvoie la première "
        "réponse sans créer un second bon (en-tête Idempotent-Replayed: true) ; la même clé "
        "avec un autre corps répond 422. Une clé est gardée 24 heures, pour un jeton."
    ),
)
REPLAYED = OpenApiParameter(
    idempotency.REPLAYED_HEADER,
    {"type": "string", "enum": ["true"]},
    OpenApiParameter.HEADER,
    description=_("Présent quand la réponse est celle, rejouée, d'une requête précédente."),
    response=[201],
)
PAGE_SIZE = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1, "maximum": 100},
    description=_("Nombre de bons par page, de 1 à 100 (50 par défaut)."),
)
REFERENCE = OpenApiParameter(
    "reference",
    {"type": "string", "pattern": r"^[A-Za-z0-9]{1,12}$"},
    OpenApiParameter.PATH,
    description=_("Code du bon, par exemple 7KQ2MX (majuscules ou minuscules)."),
)
