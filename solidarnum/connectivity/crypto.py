"""The secret codes of recharges, encrypted at rest with the keys of the environment (ADR 0028).

`settings.CODE_ENCRYPTION_KEYS` holds Fernet keys, newest first: `encrypt` uses the first, `decrypt`
tries each (cryptography's `MultiFernet`), `rotate` re-encrypts a token under the first key. The
plain secret lives only in memory, for the moment it is written or shown; nothing here logs it,
and the errors raised never carry it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class UnreadableSecret(Exception):
    """A token no configured key can read (a key was removed too early)."""


@lru_cache(maxsize=1)
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("CODE_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        # Never the key in the message.
        raise ImproperlyConfigured(
            "SOLIDARNUM_CODE_KEYS holds a key that is not a Fernet key (32 bytes, url-safe base64)."
        ) from None


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.CODE_ENCRYPTION_KEYS))


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting == "CODE_ENCRYPTION_KEYS":
        _keyring.cache_clear()


def encrypt(secret: str) -> str:
    return keyring().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret("No configured key reads this secret code.") from None


def rotate(token: str) -> str:
    """The same secret, encrypted under the first key."""
    try:
        return keyring().rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret("No configured key reads this secret code.") from None
