"""`Authorization: Token <key>` (or `Bearer <key>`) for référents' personal API tokens.

A token authenticates only while its user is active and still holds an active référent
membership in the token's partner structure; the API scope is that membership. Its
`last_used_at` is refreshed at most once per `TOUCH_EVERY`, so reads stay (nearly) write-free.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership, User
from solidarnum.accounts.scope import Scope

from .models import ApiToken, hash_key

KEYWORDS = (b"token", b"bearer")
TOUCH_EVERY = timedelta(hours=1)
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class TokenAuth:
    """What `request.auth` holds after a token authenticated: the token and its scope."""

    token: ApiToken
    scope: Scope


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, TokenAuth] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: the next authentication class may apply
        if len(parts) != 2 or len(parts[1]) > MAX_KEY_LENGTH:
            raise AuthenticationFailed(
                _("En-tête mal formé : envoyez « Authorization: Token <jeton> ».")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Jeton inconnu ou révoqué.")) from None
        return authenticate_key(key)

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Token realm="api"'


def authenticate_key(key: str) -> tuple[User, TokenAuth]:
    token = (
        ApiToken.objects.select_related("user", "partner_structure")
        .filter(key_hash=hash_key(key))
        .first()
    )
    if token is None or token.revoked_at is not None:
        raise AuthenticationFailed(_("Jeton inconnu ou révoqué."))
    if not token.user.is_active:
        raise AuthenticationFailed(_("Le compte de ce jeton est désactivé."))
    membership = (
        Membership.objects.active()
        .filter(
            user=token.user,
            role=Role.REFERENT,
            partner_structure=token.partner_structure,
            partner_structure__is_active=True,
        )
        .first()
    )
    if membership is None:
        raise AuthenticationFailed(
            _("Ce compte n'est plus référent de la structure pour laquelle le jeton a été créé.")
        )
    membership.partner_structure = token.partner_structure
    _touch(token)
    scope = Scope(user=token.user, membership=membership, memberships=(membership,))
    return token.user, TokenAuth(token=token, scope=scope)


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema (and lets Swagger UI send it)."""

    target_class = ApiTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Jeton personnel d'un ou d'une référente, créé dans « Accès à l'API ». "
                    "En-tête `Authorization: Token <jeton>` ou `Bearer <jeton>`."
                )
            ),
        }
