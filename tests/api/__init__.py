"""Helpers shared by the API tests: tokens issued through the real service."""

from typing import Any

from rest_framework.test import APIClient

from solidarnum.api.models import ApiToken
from solidarnum.api.services import create_api_token


def issue_token(
    world: Any, user_key: str = "referent", structure: Any = None
) -> tuple[ApiToken, str]:
    return create_api_token(
        acting_user=world.users[user_key],
        partner_structure=structure or world.structure_a,
        name="Logiciel de suivi",
    )


def token_client(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client
