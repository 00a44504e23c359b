"""JSON parsing with a French error message (DRF's own one is English-only)."""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(
                    _("Erreur d'analyse JSON : ligne %(line)s, colonne %(column)s.")
                    % {"line": cause.lineno, "column": cause.colno}
                ) from None
            raise ParseError(_("Erreur d'analyse JSON : corps illisible.")) from None
