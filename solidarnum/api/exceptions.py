"""DRF's exception handler, plus the request errors Django raises before a parser runs."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import views
from rest_framework.response import Response

from .parsers import too_large_error


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = too_large_error()
    return views.exception_handler(exc, context)
