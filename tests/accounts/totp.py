"""Test helpers for the second factor: enrol a TOTP device, compute its current code, log in
through allauth's two steps."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def enrol_totp(user) -> str:
    """Give `user` a TOTP authenticator; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in_with_password(client: Client, email: str, next_url: str = ""):
    data = {"login": email, "password": PASSWORD}
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def log_in_with_totp(client: Client, email: str, secret: str, next_url: str = ""):
    """The full allauth login: password, then the code. Returns the last response."""
    response = log_in_with_password(client, email, next_url)
    assert response["Location"].startswith(reverse("mfa_authenticate")), response
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
