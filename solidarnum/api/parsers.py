"""JSON parsing that answers every body with a French 400, whatever its shape or size.

Python's `json` module recurses once per nesting level and raises `RecursionError` (a 500)
on `{"a":` repeated a thousand times, so the nesting depth is measured before decoding. The
body is bounded well below Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`: a referral, even written
entirely in `\\uXXXX` escapes, stays far under `MAX_BODY_BYTES`.
"""

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 16  # a referral needs 2 (an object holding lists)

# A JSON string literal; what it holds never counts as nesting.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def too_large_error() -> ParseError:
    return ParseError(
        _("Corps de la requête trop volumineux : %(max)s Kio au plus.")
        % {"max": MAX_BODY_BYTES // 1024}
    )


def nesting_depth(text: str) -> int:
    """The deepest nesting of objects and lists in a JSON text (valid or not), in linear time."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _reject_constant(name: str) -> None:
    raise ParseError(
        _("Erreur d'analyse JSON : %(value)s n'est pas une valeur JSON permise.") % {"value": name}
    )


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            "".encode(encoding)  # refuses bytes-to-bytes codecs (bz2_codec, zlib_codec...)
        except (LookupError, UnicodeError):
            raise ParseError(
                _("Jeu de caractères non pris en charge : envoyez du JSON en UTF-8.")
            ) from None
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise too_large_error()
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # a leading byte-order mark is allowed (RFC 8259)
        try:
            text = raw.decode(encoding)
        except UnicodeError:
            raise ParseError(
                _("Corps de la requête illisible : envoyez du JSON encodé en UTF-8.")
            ) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("JSON trop imbriqué : %(max)s niveaux au plus.") % {"max": MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as error:
            raise ParseError(
                _("Erreur d'analyse JSON : ligne %(line)s, colonne %(column)s.")
                % {"line": error.lineno, "column": error.colno}
            ) from None
        except (ValueError, RecursionError):  # e.g. an integer of more than 4,300 digits
            raise ParseError(_("Erreur d'analyse JSON : corps illisible.")) from None
