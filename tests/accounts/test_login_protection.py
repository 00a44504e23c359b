"""Login protection: a lock per account (django-axes), a limit per address against password
spraying, one French message for each, and the failures of the admin's login counted too."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts import login_protection
from tests.conftest import PASSWORD

LOGIN = "/compte/login/"
LOCKED = "Compte temporairement bloqué"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def fail(client: Client, email: str, times: int = 1, url: str = LOGIN):
    response = None
    for _ in range(times):
        response = client.post(url, {"login": email, "password": "pas-le-bon"})
    return response


def test_one_persons_typos_lock_that_account_only(world, settings):
    box = from_address("192.0.2.10")  # the reception point's internet box
    staff = world.users["staff_a"]
    response = fail(box, staff.email, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Colleagues behind the same address log in as usual.
    colleague = from_address("192.0.2.10")
    response = colleague.post(
        LOGIN, {"login": world.users["volunteer_a"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert colleague.get(reverse("accounts:my_organisation")).status_code == 200


def test_the_lock_holds_for_that_account_from_any_address(world, settings):
    staff = world.users["staff_a"]
    fail(from_address("192.0.2.10"), staff.email, settings.AXES_FAILURE_LIMIT)
    response = from_address("198.51.100.7").post(
        LOGIN, {"login": staff.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_the_attempts_table_records_the_account_however_it_was_typed(world, settings):
    box = from_address("192.0.2.10")
    for typed in [
        " Sarah.Staff@Example.org",
        "SARAH.STAFF@EXAMPLE.ORG",
        "sarah.staff@example.org ",
    ]:
        fail(box, typed)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        "sarah.staff@example.org"
    }
    # The three spellings count for one account.
    response = fail(box, "sarah.staff@example.org", settings.AXES_FAILURE_LIMIT - 3)
    assert response.status_code == 429


def test_every_locked_attempt_says_the_same_thing_with_its_end_and_who_unlocks(world, settings):
    box = from_address("192.0.2.10")
    staff = world.users["staff_a"]
    locked_at = timezone.now()
    with time_machine.travel(locked_at, tick=False):
        pages = [fail(box, staff.email, settings.AXES_FAILURE_LIMIT)]
    with time_machine.travel(locked_at + timedelta(minutes=20), tick=False):
        pages.append(fail(box, staff.email))
        pages.append(box.post(LOGIN, {"login": staff.email, "password": PASSWORD}))
    ends = timezone.localtime(locked_at + timedelta(hours=1)).strftime("%H:%M")
    texts = set()
    for page in pages:
        assert page.status_code == 429
        text = page.content.decode()
        assert f"jusqu'à {ends}" in text  # a locked attempt does not push the end back
        assert "responsable de votre point d'accueil" in text
        assert "équipe nationale" in text
        texts.add(text[text.index("<main") :].split("</main>")[0])
    assert len(texts) == 1


def test_the_lock_ends_by_itself_after_the_cool_off(world, settings):
    box = from_address("192.0.2.10")
    staff = world.users["staff_a"]
    fail(box, staff.email, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        response = box.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302


def test_thirty_failures_a_minute_from_one_address_answer_429(world):
    sprayer = from_address("203.0.113.5")
    # The window is a fixed minute (django-ratelimit): the clock stands still so that a slow
    # machine cannot spread the thirty failures over two windows.
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(30):
            response = fail(sprayer, f"personne{n}@example.org")
            assert response.status_code == 200, n  # wrong password, form shown again
        response = sprayer.post(
            LOGIN, {"login": world.users["staff_a"].email, "password": PASSWORD}
        )
    assert response.status_code == 429
    assert "Trop de tentatives de connexion depuis votre réseau" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60
    assert "_auth_user_id" not in sprayer.session
    # No account was locked by the spraying, and other addresses are not concerned.
    other = from_address("198.51.100.7")
    response = other.post(LOGIN, {"login": world.users["staff_a"].email, "password": PASSWORD})
    assert response.status_code == 302
    # A minute later, the address may try again.
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        response = sprayer.post(
            LOGIN, {"login": world.users["volunteer_a"].email, "password": PASSWORD}
        )
    assert response.status_code == 302


def test_failures_on_the_admin_login_count_for_the_same_account(world, settings):
    box = from_address("192.0.2.10")
    admin = world.users["admin"]
    admin_login = box.get(reverse("admin:login"))["Location"]  # the common login, next=/admin/
    assert admin_login.startswith(LOGIN)
    fail(box, admin.email, settings.AXES_FAILURE_LIMIT - 1, url=admin_login)
    response = fail(box, admin.email, url=LOGIN)  # the fifth, on the usual login page
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == admin.email
    # The admin's own URL checks no password at all: nothing to guess there.
    box.post(reverse("admin:login"), {"username": "x@example.org", "password": "faux"})
    assert not AccessAttempt.objects.filter(username="x@example.org").exists()


def test_behind_a_declared_proxy_each_client_address_counts_apart(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request arrives from the proxy
    sprayer = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    with time_machine.travel(timezone.now(), tick=False):  # one fixed window, as above
        fail(sprayer, "personne@example.org", 30)
        assert fail(sprayer, "autre@example.org").status_code == 429
    assert AccessAttempt.objects.get(username="personne@example.org").ip_address == "203.0.113.5"
    # Someone else behind the same proxy is not concerned.
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10")
    response = colleague.post(LOGIN, {"login": world.users["staff_a"].email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy declared: the header is anybody's claim
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left entry is the client's claim
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (1, "", "10.0.0.2"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies
        (1, "pas-une-adresse", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_behind_declared_proxies_only(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert login_protection.client_ip(request) == expected
