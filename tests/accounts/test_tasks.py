from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation
from solidarnum.accounts.tasks import purge_stale_invitations


def make_invitation(world, email, **extra):
    return Invitation.objects.create(
        email=email, role=Role.STAFF, reception_point=world.site_a, **extra
    )


def test_stale_invitations_are_purged_but_accepted_and_recent_ones_kept(world):
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        stale = make_invitation(world, "stale@example.org")
        accepted = make_invitation(world, "accepted@example.org", accepted_at=timezone.now())
    recent = make_invitation(world, "recent@example.org")
    # Runs inline: no broker is configured in tests, as on a fresh machine.
    assert purge_stale_invitations.delay().get() == 1
    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert remaining == {accepted.pk, recent.pk}
    assert stale.pk not in remaining


def test_purge_command(world, capsys):
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        make_invitation(world, "stale@example.org")
    call_command("purge_stale_invitations")
    assert "1 invitation supprimée." in capsys.readouterr().out
