"""Validators for French identifiers and field conventions, each with a plain French message."""

import re
from decimal import Decimal

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

POSTCODE_RE = re.compile(r"^\d{5}$")
INSEE_RE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(value or ""):
        raise ValidationError(
            _("Le code postal doit comporter exactement 5 chiffres, par exemple 75019."),
            code="invalid_postcode",
        )


def validate_insee_code(value: str) -> None:
    if value and not INSEE_RE.match(value):
        raise ValidationError(
            _("Le code INSEE doit comporter 5 caractères, par exemple 75119 ou 2A004."),
            code="invalid_insee",
        )


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "Ce numéro SIRET n'est pas valide : il doit comporter 14 chiffres et sa clé "
                "de contrôle doit être juste."
            ),
            code="invalid_siret",
        ) from None


def normalize_siret(value: str) -> str:
    return siret.compact(value or "")


def validate_imei(value: str) -> None:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 15 or not luhn.is_valid(digits):
        raise ValidationError(
            _("Cet IMEI n'est pas valide : il doit comporter 15 chiffres avec une clé juste."),
            code="invalid_imei",
        )


def validate_opening_hours(value: str) -> None:
    if not value:
        return
    try:
        opening_hours.OpeningHours(value)
    except Exception:  # the parser raises its own ParserError with a technical message
        raise ValidationError(
            _(
                "Ces horaires ne sont pas au format OpenStreetMap. Exemple : "
                "« Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00 »."
            ),
            code="invalid_opening_hours",
        ) from None


def validate_latitude(value: Decimal) -> None:
    if value is not None and not (-90 <= value <= 90):
        raise ValidationError(_("La latitude doit être comprise entre -90 et 90."))


def validate_longitude(value: Decimal) -> None:
    if value is not None and not (-180 <= value <= 180):
        raise ValidationError(_("La longitude doit être comprise entre -180 et 180."))


# Characters that make a spreadsheet (Excel, LibreOffice) read a cell as a formula. Free text
# that can end up in a CSV or XLSX file may not start with one (see ADR 0018); what is already
# stored is neutralised when written (`common.spreadsheet`).
FORMULA_PREFIXES = ("=", "+", "-", "@")
FORMULA_MESSAGE = _(
    "Ce texte ne peut pas commencer par « = », « + », « - » ou « @ » : un tableur le prendrait "
    "pour une formule. Retirez ce premier caractère."
)


def validate_spreadsheet_safe(value: str) -> None:
    # Leading spaces, tabs and line breaks do not hide the sign from every spreadsheet.
    if (value or "").lstrip().startswith(FORMULA_PREFIXES):
        raise ValidationError(FORMULA_MESSAGE, code="formula_prefix")
