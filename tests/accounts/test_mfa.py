"""The second factor guards every page of a manager or admin, the Django admin included: the
admin has no login of its own, and a session opened by a password alone reaches nothing."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership
from tests.conftest import PASSWORD, client_for
from tests.test_access_matrix import MATRIX, build_kwargs

from .totp import enrol_totp, log_in_with_password, log_in_with_totp, totp_code

ADMIN_INDEX = "/admin/"


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_MANAGERS = True


@pytest.fixture
def national_admin(world):
    """The national admin, also a Django superuser (as in the demo data), with a TOTP device."""
    user = world.users["admin"]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user, enrol_totp(user)


def admin_urls() -> list[str]:
    """The admin index and the list and add pages of every registered model."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


def pages_of_the_national_admin(world):
    """Every page of ours the national admin may use, from the access matrix (public ones
    excepted: anybody reaches them). Each row's objects live in a savepoint rolled back after
    its request, as if each row were its own test."""
    for name, key, method, expected in MATRIX:
        if expected["admin"] in (200, 302) and expected.get("anonymous") != 200:
            with transaction.atomic():
                yield name, method, reverse(name, kwargs=build_kwargs(world, key))
                transaction.set_rollback(True)


def test_the_admin_login_page_sends_to_the_login_with_its_second_factor(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == "/compte/login/?next=/admin/"
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert response["Location"] == "/compte/login/?next=/admin/accounts/user/"
    # Another site is never a destination.
    response = client.get(reverse("admin:login") + "?next=https://example.com/")
    assert response["Location"] == "/compte/login/?next=/admin/"


def test_a_password_posted_to_the_admin_login_opens_no_session(
    client, national_admin, mfa_required
):
    user, _secret = national_admin
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": user.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/compte/login/?next=/admin/"
    assert "_auth_user_id" not in client.session
    for url in [ADMIN_INDEX, reverse("privacy:audit_list"), reverse("accounts:user_list")]:
        assert client.get(url).status_code == 302, url


def test_the_password_alone_stops_at_the_second_factor(client, world, national_admin, mfa_required):
    user, _secret = national_admin
    response = log_in_with_password(client, user.email, next_url=ADMIN_INDEX)
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    for url in admin_urls():
        assert client.get(url).status_code == 302, url
    for name, method, url in pages_of_the_national_admin(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_a_session_opened_without_the_second_factor_reaches_no_admin_page(
    world, national_admin, mfa_required
):
    user, _secret = national_admin
    # force_login opens a session the way a password-only login would: no factor recorded.
    client = client_for(user)
    reauthenticate = reverse("mfa_reauthenticate")
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reauthenticate), url
    for name, method, url in pages_of_the_national_admin(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reauthenticate), name
    response = client.post(
        reverse("accounts:invite"),
        {
            "email": "intrus@example.org",
            "role": Role.NATIONAL_ADMIN,
        },
    )
    assert response["Location"].startswith(reauthenticate)
    assert not Invitation.objects.filter(email="intrus@example.org").exists()
    assert Membership.objects.filter(user=world.users["staff_a"], is_active=True).exists()


def test_the_second_factor_opens_the_admin_and_the_admin_pages(
    client, national_admin, mfa_required
):
    user, secret = national_admin
    response = log_in_with_totp(client, user.email, secret, next_url=ADMIN_INDEX)
    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200
    assert client.get(reverse("privacy:audit_list")).status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 200
    # Once in, the admin login page leads to the admin.
    assert client.get(reverse("admin:login"))["Location"] == ADMIN_INDEX


def test_the_code_asked_again_verifies_a_session_opened_without_it(national_admin, mfa_required):
    user, secret = national_admin
    client = client_for(user)
    response = client.get(reverse("privacy:audit_list"))
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=/audit/"
    response = client.post(response["Location"], {"code": "000000"})
    assert response.status_code == 200  # a wrong code: asked again
    assert client.get(reverse("privacy:audit_list")).status_code == 302
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/audit/", {"code": totp_code(secret)}
    )
    assert response["Location"] == "/audit/"
    assert client.get(reverse("privacy:audit_list")).status_code == 200


# allauth announces the new device on commit: run in autocommit, as production does.
# serialized_rollback like every transactional test: a plain flush would renumber the content
# types and break the serialized tests that run after it on the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enrolling_the_device_verifies_the_session(world, mfa_required):
    manager = world.users["manager_a"]
    client = client_for(manager)
    assert client.get(reverse("accounts:team"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before showing the enrolment form.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:team")).status_code == 200


def test_every_django_staff_account_needs_the_second_factor(world, mfa_required):
    # A support account with the admin flag but no manager role.
    user = world.users["staff_a"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = client_for(user)
    assert client.get(ADMIN_INDEX)["Location"] == reverse("mfa_activate_totp")
    enrol_totp(user)
    assert client.get(ADMIN_INDEX)["Location"].startswith(reverse("mfa_reauthenticate"))


def test_without_required_mfa_the_admin_still_uses_the_common_login(client, national_admin):
    user, secret = national_admin
    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = log_in_with_totp(client, user.email, secret, next_url=ADMIN_INDEX)
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_member_outside_the_staff_is_refused_by_the_admin(clients):
    response = clients["staff_a"].get(reverse("admin:login"))
    assert response.status_code == 403
