"""`Idempotency-Key` on POST: a retry with the same key and body gets the first answer again.

Follows the IETF draft "The Idempotency-Key HTTP Header Field": the same key with another body
answers 422. The key is claimed by an INSERT in the same transaction as the write it guards
and its answer, so a concurrent retry waits on the unique index and then replays the committed
answer (no retry ever sees a claim without its answer); a refused request (400) rolls its
claim back with it, and the client may fix the body and send it again with the same key.
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from .authentication import TokenAuth
from .models import ApiToken, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MIN_LENGTH, MAX_LENGTH = 16, 255
PATTERN = rf"^[A-Za-z0-9_\-]{{{MIN_LENGTH},{MAX_LENGTH}}}$"
_VALID_KEY = re.compile(PATTERN)


class MalformedKey(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_malformed"
    default_detail = _(
        "En-tête Idempotency-Key mal formé : de 16 à 255 lettres sans accent, chiffres, « - » "
        "ou « _ » ; un UUID convient."
    )


class KeyNeedsToken(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_needs_token"
    default_detail = _("L'en-tête Idempotency-Key ne s'utilise qu'avec un jeton d'API.")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        "Cette clé d'idempotence a déjà servi pour une autre requête dans les dernières 24 "
        "heures : envoyez chaque nouvelle demande avec une nouvelle clé."
    )


def retention() -> timedelta:
    return timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)


def key_of(request: Request) -> str | None:
    """The request's key, None without the header; a malformed key is refused."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID_KEY.match(key):
        raise MalformedKey
    return key


def fingerprint_of(request: Request) -> str:
    """The same request whatever the order of its JSON keys or its spacing."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def run_once(request: Request, key: str, run: Callable[[], Response]) -> Response:
    """Answer `run()`'s response, or the one stored for this token and key."""
    if not isinstance(request.auth, TokenAuth):
        raise KeyNeedsToken
    token: ApiToken = request.auth.token
    fingerprint = fingerprint_of(request)
    with transaction.atomic():
        IdempotencyKey.objects.filter(
            token=token, key=key, created_at__lt=timezone.now() - retention()
        ).delete()
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(token=token, key=key, fingerprint=fingerprint)
        except IntegrityError:  # a first request with this key has committed
            return _replay(IdempotencyKey.objects.get(token=token, key=key), fingerprint)
        response = run()  # raises on a refusal: the claim is rolled back with the rest
        claim.response_status = response.status_code
        claim.response_body = response.data
        claim.save(update_fields=["response_status", "response_body"])
    return response


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise KeyReused
    assert stored.response_status is not None  # committed with its claim
    return Response(
        stored.response_body, status=stored.response_status, headers={REPLAYED_HEADER: "true"}
    )


def purge_expired() -> int:
    """Delete the keys past their retention; returns how many."""
    cutoff = timezone.now() - retention()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
