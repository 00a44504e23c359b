"""The invitation e-mail goes through notify (registered with accounts.mail): logged, sent by the
e-mail provider with its fallback, its personal link never shown and forgotten once sent."""

from django.core import mail as outbox
from django.test import override_settings
from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import resolve_scope
from solidarnum.accounts.services import invite_user
from solidarnum.notifications.enums import Channel, MessageStatus
from solidarnum.notifications.models import Attempt, Message


def _invite(world):
    scope = resolve_scope(world.users["manager_a"], None)
    return invite_user(
        acting_user=scope.user,
        scope=scope,
        email="nouvelle@example.org",
        role=Role.STAFF,
        accept_url_builder=lambda token: f"https://solidarnum.test/invitation/{token}/",
    )


def test_the_invitation_is_logged_sent_and_its_link_forgotten(
    world, clients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    message = Message.objects.get(template="accounts.invitation")
    assert message.channel == Channel.EMAIL and message.status == MessageStatus.SENT
    assert message.reception_point_id == world.site_a.pk
    assert message.object_type == "accounts.invitation"
    assert len(outbox.outbox) == 1 and invitation.token in outbox.outbox[0].body
    assert outbox.outbox[0].subject == "Invitation à rejoindre solidarnum"
    assert message.body == "" and message.text_purged_at is not None
    page = clients["manager_a"].get(reverse("notifications:message_detail", args=[message.pk]))
    assert page.status_code == 200
    assert (
        invitation.token not in page.content.decode() and "lien personnel" in page.content.decode()
    )


@override_settings(
    EMAIL_BACKEND="tests.notifications.test_invitations.DownBackend",
    NOTIFICATIONS_EMAIL_FALLBACK_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    NOTIFICATIONS_MAX_ATTEMPTS=1,
)
def test_the_invitation_goes_through_the_fallback_when_the_provider_is_down(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    message = Message.objects.get(template="accounts.invitation")
    assert message.status == MessageStatus.SENT and message.provider == "locmem"
    assert list(Attempt.objects.filter(message=message).values_list("provider", "outcome")) == [
        ("test_invitations", "temporary"),
        ("locmem", "accepted"),
    ]
    assert invitation.token in outbox.outbox[0].body


class DownBackend:
    """An e-mail provider whose server does not answer."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("down")
