"""Requests a minute per API token and per client address, counted in the `default` cache.

The rates are read from the settings on each request (DRF reads `DEFAULT_THROTTLE_RATES`
once, at import), so they can be changed per environment and in tests. The client address
is the login protection's (`accounts.login_protection.client_ip`): one rule for every limit,
`X-Forwarded-For` read only behind `SOLIDARNUM_TRUSTED_PROXY_COUNT` proxies.
"""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from solidarnum.accounts.login_protection import client_ip

from .authentication import TokenAuth


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, TokenAuth):
            ident = f"token-{request.auth.token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"  # a référent's browser session
        else:
            return None  # refused anyway; counted per address
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AddressRateThrottle(SimpleRateThrottle):
    scope = "api_address"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_PER_ADDRESS_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}
