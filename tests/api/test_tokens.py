"""API tokens: created and revoked by the référent in the UI, stored hashed, and only valid
while their user is an active référent of the token's structure."""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Membership
from solidarnum.api import services
from solidarnum.api.models import ApiToken
from solidarnum.privacy.models import AuditAction, AuditEvent
from solidarnum.referrals.models import Referral
from tests.conftest import client_for, make_user
from tests.referrals.factories import make_referral

from . import issue_token, token_client

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/referrals/"


def _create_through_page(client: Client, name: str = "Logiciel du CCAS") -> tuple[str, str]:
    response = client.post(reverse("api:api_tokens"), {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'id="new-key" type="text" readonly value="([^"]+)"', html)
    assert match, html
    return match.group(1), html


# --- The page -------------------------------------------------------------------------------------


def test_page_lists_only_my_tokens(world, clients):
    issue_token(world, "referent")
    issue_token(world, "lead_referent")
    response = clients["referent"].get(reverse("api:api_tokens"))
    assert response.status_code == 200
    assert list(response.context["tokens"]) == list(
        ApiToken.objects.filter(user=world.users["referent"])
    )
    assert len(response.context["tokens"]) == 1


def test_created_key_is_shown_once_and_stored_hashed(world, clients):
    client = clients["referent"]
    key, html = _create_through_page(client)
    assert "il ne sera plus jamais affiché" in html

    token = ApiToken.objects.get()
    assert token.user == world.users["referent"]
    assert token.partner_structure == world.structure_a
    assert token.name == "Logiciel du CCAS"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    # The clear key is in no column of the table.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in row.values())

    again = client.get(reverse("api:api_tokens")).content.decode()
    assert key not in again
    assert token.prefix in again
    audit = AuditEvent.objects.get(object_type="api.apitoken", object_id=str(token.pk))
    assert audit.action == AuditAction.CREATE
    assert audit.actor == world.users["referent"]


def test_the_page_showing_a_key_is_never_cached(clients):
    response = clients["referent"].post(reverse("api:api_tokens"), {"name": "Logiciel"})
    assert "no-store" in response["Cache-Control"]


def test_a_key_from_the_page_works_on_the_api(world, clients):
    key, _html = _create_through_page(clients["referent"])
    make_referral(world)
    response = token_client(key).get(LIST_URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_a_token_needs_a_name(clients):
    response = clients["referent"].post(reverse("api:api_tokens"), {"name": "  "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_active_tokens_are_limited(world, clients):
    for _ in range(services.MAX_ACTIVE_TOKENS):
        issue_token(world, "referent")
    response = clients["referent"].post(reverse("api:api_tokens"), {"name": "Un de trop"})
    assert response.status_code == 400
    assert "révoquez-en un" in response.content.decode()
    assert ApiToken.objects.count() == services.MAX_ACTIVE_TOKENS


def test_token_acts_for_the_structure_of_the_current_role(world):
    """A référent of two structures: the token records the one they act for at creation."""
    user = world.users["referent"]
    other = Membership.objects.create(
        user=user, role=Role.REFERENT, partner_structure=world.structure_b
    )
    client = client_for(user)
    client.post(reverse("accounts:switch_membership"), {"membership": other.pk})
    key, _html = _create_through_page(client)
    assert ApiToken.objects.get().partner_structure == world.structure_b

    make_referral(world)  # structure A: not visible with this token
    response = token_client(key).get(LIST_URL)
    assert response.json()["results"] == []


# --- Revocation -----------------------------------------------------------------------------------


def test_revoking_my_token(world, clients):
    token, key = issue_token(world, "referent")
    response = clients["referent"].post(reverse("api:api_token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("api:api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(
        object_type="api.apitoken", object_id=str(token.pk), action=AuditAction.UPDATE
    ).exists()
    assert token_client(key).get(LIST_URL).status_code == 401
    page = clients["referent"].get(reverse("api:api_tokens")).content.decode()
    assert "révoqué le" in page


def test_revoking_twice_changes_nothing(world):
    token, _key = issue_token(world, "referent")
    user = world.users["referent"]
    first = services.revoke_api_token(acting_user=user, token=token).revoked_at
    second = services.revoke_api_token(acting_user=user, token=token).revoked_at
    assert first == second
    assert AuditEvent.objects.filter(object_type="api.apitoken", action="update").count() == 1


def test_someone_elses_token_answers_404(world, clients):
    token, key = issue_token(world, "referent")
    response = clients["lead_referent"].post(
        reverse("api:api_token_revoke", kwargs={"pk": token.pk})
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_client(key).get(LIST_URL).status_code == 200


def test_revoke_needs_post(world, clients):
    token, _key = issue_token(world, "referent")
    url = reverse("api:api_token_revoke", kwargs={"pk": token.pk})
    assert clients["referent"].get(url).status_code == 405


# --- Authentication -------------------------------------------------------------------------------


def test_bearer_keyword_works_too(world):
    _token, key = issue_token(world)
    assert token_client(key, keyword="Bearer").get(LIST_URL).status_code == 200


def test_last_use_is_recorded(world):
    token, key = issue_token(world)
    assert token.last_used_at is None
    token_client(key).get(LIST_URL)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_deactivated_user_gets_401(world):
    _token, key = issue_token(world)
    world.users["referent"].is_active = False
    world.users["referent"].save()
    response = token_client(key).get(LIST_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == "Le compte de ce jeton est désactivé."


def test_deactivated_membership_gets_401(world):
    _token, key = issue_token(world)
    Membership.objects.filter(user=world.users["referent"]).update(
        is_active=False, deactivated_at=timezone.now()
    )
    response = token_client(key).get(LIST_URL)
    assert response.status_code == 401
    assert "n'est plus référent" in response.json()["detail"]


def test_a_referent_who_moved_to_another_structure_gets_401(world):
    _token, key = issue_token(world)
    user = world.users["referent"]
    Membership.objects.filter(user=user).update(is_active=False)
    Membership.objects.create(user=user, role=Role.REFERENT, partner_structure=world.structure_b)
    assert token_client(key).get(LIST_URL).status_code == 401


def test_closed_structure_gets_401(world):
    _token, key = issue_token(world)
    world.structure_a.is_active = False
    world.structure_a.save()
    assert token_client(key).get(LIST_URL).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Token inconnu",
        "Token",
        "Token deux morceaux",
        "Bearer " + "x" * 5000,
        "Token clé-non-ascii-é",
    ],
)
def test_bad_credentials_get_401_in_french(world, header):
    client = Client(HTTP_AUTHORIZATION=header)
    response = client.get(LIST_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    detail = response.json()["detail"]
    assert detail in {
        "Jeton inconnu ou révoqué.",
        "En-tête mal formé : envoyez « Authorization: Token <jeton> ».",
    }


def test_no_credentials_get_401(world):
    response = Client().get(LIST_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == ("Informations d'authentification non fournies.")


def test_other_roles_cannot_use_a_token_of_a_former_referent(world):
    """A token issued to a référent stops when they only keep another role."""
    user = make_user("ex.referent@example.org", Role.REFERENT, partner_structure=world.structure_a)
    _token, key = services.create_api_token(
        acting_user=user, partner_structure=world.structure_a, name="Ancien"
    )
    Membership.objects.filter(user=user).update(is_active=False)
    Membership.objects.create(user=user, role=Role.STAFF, reception_point=world.site_a)
    assert token_client(key).get(LIST_URL).status_code == 401


# --- Session access -------------------------------------------------------------------------------


def test_session_referent_may_read_and_csrf_protects_writes(world):
    """A référent's browser session works on the API; DRF then enforces CSRF on POST."""
    make_referral(world)
    user = world.users["referent"]
    assert client_for(user).get(LIST_URL).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = strict.post(LIST_URL, {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Referral.objects.count() == 1
