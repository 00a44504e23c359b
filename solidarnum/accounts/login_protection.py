"""Login protection (ADR 0015).

- A lock per account, by django-axes: the callables below tell axes which account an attempt
  is for (allauth's form field is `login`, its `authenticate()` call passes `email`) and render
  the French lockout page with the end of the lock.
- A limit per address against password spraying: failed logins are counted per client address
  in the shared cache with django-ratelimit; past the limit, every login from that address
  answers 429 until the window ends, whatever the account.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)
ADDRESS_GROUP = "solidarnum.login-failures-per-address"


def normalise_username(value: Any) -> str | None:
    """Accounts are stored trimmed and lower-cased: so are the attempts, so that every
    spelling of one address counts for one account."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def username_from(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account an attempt is for."""
    credentials = credentials or {}
    for field in ("email", "login", "username"):
        if credentials.get(field):
            return normalise_username(credentials[field])
    if request is not None and request.method == "POST":
        return normalise_username(request.POST.get("login"))
    return None


def _cool_off() -> Any:
    return get_cool_off()


def locked_until(usernames: Iterable[str]) -> dict[str, datetime]:
    """The accounts among `usernames` that are locked now, with the latest end of their lock.

    The same count as axes' per-account parameter: failures of the cool-off period, summed
    over every address. One query.
    """
    cool_off = _cool_off()
    rows = (
        AccessAttempt.objects.filter(
            username__in=list(usernames), attempt_time__gte=timezone.now() - cool_off
        )
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"]: row["last"] + cool_off for row in rows}


def clear_failures(username: str | None) -> None:
    """Forget the failed attempts for this account, from every address: the lock is lifted."""
    username = normalise_username(username)
    if username:  # axes resets every account when given none
        reset(username=username)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the same page on every locked attempt, with the end of the lock."""
    username = username_from(request, credentials)
    ends_at = locked_until([username]).get(username or "") if username else None
    if ends_at is None:
        ends_at = timezone.now() + _cool_off()
    return render(
        request,
        "errors/lockout.html",
        {"ends_at": timezone.localtime(ends_at)},
        status=429,
    )


# --- Per address ---------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address, for axes and the per-address limit (ADR 0016).

    Behind N declared proxies (SOLIDARNUM_TRUSTED_PROXY_COUNT), each appends the address it
    received from to X-Forwarded-For: the client is the N-th entry from the right, the same
    rule as allauth's ALLAUTH_TRUSTED_PROXY_COUNT. Entries further left are the client's own
    claims and never read. Anything that is not an address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                logger.warning("X-Forwarded-For does not hold an address; REMOTE_ADDR is used.")
    return remote


def _address_usage(request: HttpRequest, *, increment: bool) -> dict[str, Any] | None:
    try:
        return get_usage(
            request,
            group=ADDRESS_GROUP,
            key="ip",
            rate=settings.LOGIN_FAILURES_PER_ADDRESS,
            increment=increment,
        )
    except Exception:  # the cache is down: logins go on, still locked per account by axes
        logger.exception("Login failures per address: the cache is unavailable.")
        return None


@receiver(user_login_failed)
def count_failure_of_address(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None:
        _address_usage(request, increment=True)


def refusal_for_address(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when this address already failed too often in the current window."""
    usage = _address_usage(request, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    retry_after = max(int(usage["time_left"]), 1)
    response = render(
        request,
        "errors/too_many_login_failures.html",
        {"retry_after": retry_after},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
