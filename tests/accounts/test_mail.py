"""accounts' e-mails go through the sender a higher app registers (notifications), and through
Django's send_mail when none is registered."""

import pytest
from django.core import mail as outbox

from solidarnum.accounts import mail
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import resolve_scope
from solidarnum.accounts.services import invite_user


@pytest.fixture
def no_sender():
    saved = list(mail._senders)
    mail.unregister_senders()
    yield
    mail._senders[:] = saved


def _invite(world):
    scope = resolve_scope(world.users["manager_a"], None)
    return invite_user(
        acting_user=scope.user,
        scope=scope,
        email="nouvelle@example.org",
        role=Role.STAFF,
        accept_url_builder=lambda token: f"https://solidarnum.test/invitation/{token}/",
    )


def test_without_a_registered_sender_send_mail_after_commit(
    world, no_sender, django_capture_on_commit_callbacks
):
    from solidarnum.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    assert len(outbox.outbox) == 1 and invitation.token in outbox.outbox[0].body
    assert not Message.objects.exists()


def test_the_registered_sender_gets_the_email_in_the_transaction(world):
    got = []
    saved = list(mail._senders)
    mail.register_sender(got.append)
    try:
        invitation = _invite(world)
    finally:
        mail._senders[:] = saved
    (email,) = got
    assert email.key == "accounts.invitation" and email.to == "nouvelle@example.org"
    assert email.related_object == invitation and email.reception_point_id == world.site_a.pk
    assert email.context["accept_url"].endswith(f"/{invitation.token}/")
