"""Who must use the second factor, and whether this session has.

A session is "verified" once its user gave a TOTP or recovery code in it: at login (allauth's
MFA stage), when asked again (allauth's MFA reauthentication) or when enrolling a device (the
enrolment form checks a code). allauth's public signals mark it; the mark names the user, so a
session later reused by another account is not verified. See ADR 0016.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_used
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

from .enums import Role
from .scope import scope_of

VERIFIED_SESSION_KEY = "solidarnum_mfa_verified_user"
MFA_ROLES = {Role.NATIONAL_ADMIN, Role.SITE_MANAGER}


def mark_verified(request: HttpRequest, user: Any) -> None:
    request.session[VERIFIED_SESSION_KEY] = str(user.pk)


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and request.session.get(VERIFIED_SESSION_KEY) == str(user.pk))


def is_required(request: HttpRequest) -> bool:
    """When MFA is required: Django staff (the admin) and national admins or site managers."""
    user = request.user
    if not settings.MFA_REQUIRED_FOR_MANAGERS or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser) or any(
        m.role in MFA_ROLES for m in scope_of(request).memberships
    )


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@receiver(authenticator_used)
def verify_on_use(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        mark_verified(request, user)


@receiver(authenticator_added)
def verify_on_enrolment(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    # The enrolment form only saves the device after checking a code it produced.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        mark_verified(request, user)
