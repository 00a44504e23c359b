"""Input checks: serial numbers as stored, uploaded erasure certificates (a real, small PDF)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

_SERIAL_JUNK = re.compile(r"[\s\-_./]+")


def normalize_serial(value: str) -> str:
    """Serial numbers and IMEIs as stored: upper case, no spaces or separators."""
    return _SERIAL_JUNK.sub("", (value or "").strip()).upper()


def validate_certificate(file: File[bytes]) -> None:
    if not file:
        return
    max_bytes = settings.EQUIPMENT_CERTIFICATE_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("Le fichier est trop lourd : %(size)s Mo au maximum.")
            % {"size": max_bytes // (1024 * 1024)},
            code="too_big",
        )
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("Le certificat doit être un fichier PDF (.pdf)."), code="not_pdf")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(1024)
    finally:
        file.seek(position)
    if isinstance(head, str):
        head = head.encode()
    if b"%PDF-" not in head:
        raise ValidationError(
            _("Ce fichier n'est pas un PDF valide : enregistrez le certificat au format PDF."),
            code="not_pdf",
        )
