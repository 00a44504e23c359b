import pytest
from django.core import mail
from django.utils import timezone

from solidarnum.accounts import services
from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership, User
from solidarnum.accounts.scope import resolve_scope
from solidarnum.common.errors import ServiceError
from solidarnum.privacy.models import AuditAction, AuditEvent


def scope_of(user):
    return resolve_scope(user, None)


def invite(scope, **kwargs):
    defaults = {
        "email": "Nouvelle.Personne@Example.org",
        "role": Role.STAFF,
        "accept_url_builder": lambda token: f"https://solidarnum.test/invitation/{token}/",
    }
    defaults.update(kwargs)
    return services.invite_user(acting_user=scope.user, scope=scope, **defaults)


def test_site_manager_invites_into_their_own_site_whatever_is_asked(
    world, django_capture_on_commit_callbacks
):
    manager = scope_of(world.users["manager_a"])
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(manager, reception_point_id=world.site_b.pk)
    assert invitation.reception_point == world.site_a
    assert invitation.email == "nouvelle.personne@example.org"
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.invitation"
    ).exists()


@pytest.mark.parametrize(
    ("inviter", "role"),
    [
        ("manager_a", Role.SITE_MANAGER),
        ("manager_a", Role.NATIONAL_ADMIN),
        ("lead_referent", Role.STAFF),
        ("staff_a", Role.VOLUNTEER),
        ("referent", Role.REFERENT),
    ],
)
def test_invitation_refused_outside_the_inviter_rights(world, inviter, role):
    with pytest.raises(ServiceError):
        invite(scope_of(world.users[inviter]), role=role)
    assert not Invitation.objects.exists()


def test_lead_referent_invites_a_colleague_of_the_same_structure(world):
    invitation = invite(scope_of(world.users["lead_referent"]), role=Role.REFERENT)
    assert invitation.partner_structure == world.structure_a
    assert invitation.reception_point is None


def test_accepting_creates_the_account_and_membership_once(world):
    invitation = invite(scope_of(world.users["manager_a"]), role=Role.VOLUNTEER)
    membership = services.accept_invitation(
        invitation=invitation,
        acting_user=None,
        first_name="Awa",
        last_name="Diallo",
        password="un-long-mot-de-passe",
    )
    assert membership.role == Role.VOLUNTEER
    assert membership.reception_point == world.site_a
    user = User.objects.get(email="nouvelle.personne@example.org")
    assert user.check_password("un-long-mot-de-passe")
    with pytest.raises(ServiceError):
        services.accept_invitation(invitation=invitation, acting_user=None, password="x" * 12)


def test_expired_invitation_cannot_be_used(world):
    invitation = invite(scope_of(world.users["manager_a"]))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ServiceError):
        services.accept_invitation(invitation=invitation, acting_user=None, password="x" * 12)
    assert not User.objects.filter(email=invitation.email).exists()


def test_existing_user_gets_a_second_membership(world):
    staff = world.users["staff_a"]
    invitation = invite(
        scope_of(world.users["admin"]),
        email=staff.email,
        role=Role.STAFF,
        reception_point_id=world.site_b.pk,
    )
    services.accept_invitation(invitation=invitation, acting_user=staff)
    assert Membership.objects.filter(user=staff, is_active=True).count() == 2


def test_invitation_for_another_address_is_refused(world):
    invitation = invite(scope_of(world.users["manager_a"]))
    with pytest.raises(ServiceError):
        services.accept_invitation(invitation=invitation, acting_user=world.users["staff_b"])


def test_manager_deactivates_staff_of_own_site_only(world):
    manager = scope_of(world.users["manager_a"])
    staff_a = Membership.objects.get(user=world.users["staff_a"])
    staff_b = Membership.objects.get(user=world.users["staff_b"])
    services.deactivate_membership(acting_user=manager.user, scope=manager, membership=staff_a)
    staff_a.refresh_from_db()
    assert not staff_a.is_active and staff_a.deactivated_at
    with pytest.raises(ServiceError):
        services.deactivate_membership(acting_user=manager.user, scope=manager, membership=staff_b)
    # A deactivated membership no longer gives a scope.
    assert scope_of(world.users["staff_a"]).membership is None


def test_device_skill_is_saved_with_its_audit_row_or_not_at_all(world, monkeypatch):
    membership = Membership.objects.get(user=world.users["staff_a"])
    assert not membership.can_check_devices

    def failing_record(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.set_device_skill(
            acting_user=world.users["manager_a"],
            scope=scope_of(world.users["manager_a"]),
            membership=membership,
            value=True,
        )
    membership.refresh_from_db()
    assert not membership.can_check_devices


def test_nobody_deactivates_themselves(world):
    admin = world.users["admin"]
    with pytest.raises(ServiceError):
        services.deactivate_membership(
            acting_user=admin, scope=scope_of(admin), membership=Membership.objects.get(user=admin)
        )


def lock(user, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=user.email,
        ip_address="192.0.2.10",
        user_agent="navigateur",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/compte/login/",
    )


def test_site_manager_unlocks_a_member_of_their_team(world, settings):
    from axes.models import AccessAttempt

    from solidarnum.accounts.login_protection import locked_until

    staff = world.users["staff_a"]
    lock(staff, settings)
    assert staff.email in locked_until([staff.email])
    membership = Membership.objects.get(user=staff)
    services.unlock_account(
        acting_user=world.users["manager_a"],
        scope=scope_of(world.users["manager_a"]),
        membership=membership,
    )
    assert locked_until([staff.email]) == {}
    assert not AccessAttempt.objects.filter(username=staff.email).exists()
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(staff.pk))
    assert event.actor == world.users["manager_a"]
    assert event.action == AuditAction.UPDATE
    assert event.changed_fields == ["login_lockout"]


def test_a_site_manager_cannot_unlock_another_sites_member(world, settings):
    staff_b = world.users["staff_b"]
    lock(staff_b, settings)
    with pytest.raises(services.ServiceError):
        services.unlock_account(
            acting_user=world.users["manager_a"],
            scope=scope_of(world.users["manager_a"]),
            membership=Membership.objects.get(user=staff_b),
        )
    from solidarnum.accounts.login_protection import locked_until

    assert staff_b.email in locked_until([staff_b.email])
    assert not AuditEvent.objects.filter(object_type="accounts.user").exists()


def test_unlocking_an_account_that_is_not_locked_says_so(world):
    with pytest.raises(services.ServiceError, match="n'est pas bloqué"):
        services.unlock_account(
            acting_user=world.users["manager_a"],
            scope=scope_of(world.users["manager_a"]),
            membership=Membership.objects.get(user=world.users["staff_a"]),
        )
    assert not AuditEvent.objects.filter(object_type="accounts.user").exists()
