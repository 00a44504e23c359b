import pytest
from django.core import mail
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership, User
from solidarnum.accounts.scope import SESSION_KEY
from solidarnum.network.models import ReceptionPoint
from tests.conftest import PASSWORD, client_for, make_place


def test_home_is_made_for_each_role(clients):
    assert "Points d'accueil" in clients["admin"].get("/").content.decode()
    manager_home = clients["manager_a"].get("/").content.decode()
    assert "Mon équipe" in manager_home and "Journal d'audit" not in manager_home
    volunteer_home = clients["volunteer_a"].get("/").content.decode()
    assert "Mon organisation" in volunteer_home and "Mon équipe" not in volunteer_home
    assert "Se connecter" in clients["anonymous"].get("/").content.decode()


def test_invite_with_bad_input_says_so_in_french_and_sends_nothing(clients):
    response = clients["manager_a"].post(
        reverse("accounts:invite"), {"email": "pas-une-adresse", "role": Role.STAFF}
    )
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_admin_must_pick_the_organisation_matching_the_role(clients, world):
    response = clients["admin"].post(
        reverse("accounts:invite"), {"email": "x@example.org", "role": Role.STAFF}
    )
    assert response.status_code == 400
    assert "organisation de rattachement pour ce rôle" in response.content.decode()
    response = clients["admin"].post(
        reverse("accounts:invite"),
        {
            "email": "x@example.org",
            "role": Role.RELAY_OPERATOR,
            "partner_structure": world.structure_a.pk,
        },
    )
    assert "pas un relais numérique" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_journey_through_the_views(clients, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["manager_a"].post(
            reverse("accounts:invite"), {"email": "awa@example.org", "role": Role.VOLUNTEER}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="awa@example.org")
    assert invitation.token in mail.outbox[0].body
    anonymous = client_for(None)
    url = reverse("accounts:accept_invitation", kwargs={"token": invitation.token})
    response = anonymous.post(
        url, {"first_name": "Awa", "last_name": "D", "password1": "court", "password2": "court"}
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="awa@example.org").exists()
    response = anonymous.post(
        url,
        {
            "first_name": "Awa",
            "last_name": "D",
            "password1": "Un-long-secret-42",
            "password2": "Un-long-secret-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="awa@example.org")
    assert Membership.objects.get(user=user).reception_point == world.site_a
    # The link is single-use.
    assert client_for(None).get(url).status_code == 410


def test_role_switch_changes_the_scope(world):
    staff = world.users["staff_a"]
    other = Membership.objects.create(user=staff, role=Role.VOLUNTEER, reception_point=world.site_b)
    client = client_for(staff)
    assert (
        client.get(reverse("network:reception_point_detail", args=[world.site_b.pk])).status_code
        == 404
    )
    response = client.post(reverse("accounts:switch_membership"), {"membership": other.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == other.pk
    assert (
        client.get(reverse("network:reception_point_detail", args=[world.site_b.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("network:reception_point_detail", args=[world.site_a.pk])).status_code
        == 404
    )


def test_switching_to_someone_elses_membership_is_refused(clients, world):
    foreign = Membership.objects.get(user=world.users["staff_b"])
    clients["staff_a"].post(reverse("accounts:switch_membership"), {"membership": foreign.pk})
    assert clients["staff_a"].session.get(SESSION_KEY) is None


def test_manager_deactivates_a_volunteer_from_the_team_page(clients, world):
    membership = Membership.objects.get(user=world.users["volunteer_a"])
    page = clients["manager_a"].get(reverse("accounts:team")).content.decode()
    assert reverse("accounts:deactivate_membership", args=[membership.pk]) in page
    clients["manager_a"].post(reverse("accounts:deactivate_membership", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active is False
    assert clients["volunteer_a"].get(reverse("accounts:my_organisation")).status_code == 403


def test_scope_is_resolved_with_one_query(clients, django_assert_max_num_queries):
    # session + user + memberships, whatever the page does after.
    with django_assert_max_num_queries(6):
        clients["staff_a"].get(reverse("accounts:account_security"))


@pytest.mark.parametrize("count", [3, 30])
def test_user_list_query_count_is_constant(clients, world, count, django_assert_max_num_queries):
    for i in range(count):
        place = make_place(f"Site {i}")
        user = User.objects.create_user(f"u{i}@example.org", "x")
        Membership.objects.create(user=user, role=Role.STAFF, reception_point=place)
    with django_assert_max_num_queries(12):
        response = clients["admin"].get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert ReceptionPoint.objects.count() == count + 2


@pytest.mark.parametrize(
    ("role", "url_name"), [("manager_a", "accounts:team"), ("staff_a", "accounts:my_organisation")]
)
def test_team_pages_query_count_does_not_grow(clients, world, role, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert clients[role].get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(10):
        user = User.objects.create_user(f"extra{i}@example.org", "x")
        Membership.objects.create(user=user, role=Role.VOLUNTEER, reception_point=world.site_a)
        Invitation.objects.create(
            email=f"inv{i}@example.org", role=Role.STAFF, reception_point=world.site_a
        )
    assert count() == before


def test_site_manager_gives_then_removes_the_refurbishing_skill(world, clients):
    from solidarnum.privacy.models import AuditEvent

    membership = Membership.objects.get(user=world.users["staff_a"])
    assert membership.can_check_devices is False
    url = reverse("accounts:set_device_skill", kwargs={"pk": membership.pk})

    response = clients["manager_a"].post(url, {"value": "1"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.can_check_devices is True
    assert AuditEvent.objects.filter(
        object_id=str(membership.pk), changed_fields=["can_check_devices"]
    ).exists()
    team = clients["manager_a"].get(reverse("accounts:team")).content.decode()
    assert "Oui · retirer" in team

    clients["manager_a"].post(url, {"value": "0"})
    membership.refresh_from_db()
    assert membership.can_check_devices is False


def test_the_refurbishing_skill_of_another_site_cannot_be_changed(world, clients):
    membership = Membership.objects.get(user=world.users["staff_b"])
    url = reverse("accounts:set_device_skill", kwargs={"pk": membership.pk})
    assert clients["manager_a"].post(url, {"value": "1"}).status_code == 404
    membership.refresh_from_db()
    assert membership.can_check_devices is False


def test_a_refurbisher_contact_is_invited_into_a_workshop(world, clients):
    response = clients["admin"].post(
        reverse("accounts:invite"),
        {
            "email": "new.workshop@example.org",
            "role": Role.REFURBISHER_CONTACT,
            "refurbisher": world.refurbisher.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation = Invitation.objects.get(email="new.workshop@example.org")
    assert invitation.refurbisher == world.refurbisher
    assert invitation.donor is None and invitation.reception_point is None
    missing = clients["admin"].post(
        reverse("accounts:invite"),
        {"email": "other.workshop@example.org", "role": Role.REFURBISHER_CONTACT},
    )
    assert missing.status_code == 400
    assert not Invitation.objects.filter(email="other.workshop@example.org").exists()


def test_site_manager_sees_and_unlocks_a_locked_member_from_the_team_page(world, clients, settings):
    from .test_services import lock

    staff = world.users["staff_a"]
    lock(staff, settings)
    team = clients["manager_a"].get(reverse("accounts:team")).content.decode()
    assert "Bloqué jusqu'à" in team
    membership = Membership.objects.get(user=staff)
    url = reverse("accounts:unlock_account", kwargs={"pk": membership.pk})
    assert url in team
    response = clients["manager_a"].post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:team")
    page = response.content.decode()
    assert "peut de nouveau se connecter" in page
    assert "Bloqué jusqu'à" not in page
    login = client_for(None).post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD}
    )
    assert login.status_code == 302


def test_unlocking_another_sites_member_answers_404(world, clients, settings):
    from solidarnum.accounts.login_protection import locked_until

    from .test_services import lock

    staff_b = world.users["staff_b"]
    lock(staff_b, settings)
    url = reverse("accounts:unlock_account", kwargs={"pk": Membership.objects.get(user=staff_b).pk})
    assert clients["manager_a"].post(url).status_code == 404
    assert staff_b.email in locked_until([staff_b.email])


def test_unlocking_an_account_that_is_not_locked_says_so_in_french(world, clients):
    url = reverse(
        "accounts:unlock_account",
        kwargs={"pk": Membership.objects.get(user=world.users["staff_a"]).pk},
    )
    response = clients["manager_a"].post(url, follow=True)
    assert "pas bloqué : la personne peut se connecter" in response.content.decode()


def test_national_admin_unlocks_from_the_user_list(world, clients, settings):
    from .test_services import lock

    manager = world.users["manager_a"]
    lock(manager, settings)
    page = clients["admin"].get(reverse("accounts:user_list")).content.decode()
    assert "Bloqué jusqu'à" in page
    url = reverse("accounts:unlock_account", kwargs={"pk": Membership.objects.get(user=manager).pk})
    assert url in page
    response = clients["admin"].post(url)
    assert response["Location"] == reverse("accounts:user_list")
    assert (
        "Bloqué jusqu'à" not in clients["admin"].get(reverse("accounts:user_list")).content.decode()
    )
