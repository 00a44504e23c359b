"""Memberships and invitations: how a role is named wherever it is shown."""

from html import unescape

from django.urls import reverse

from solidarnum.accounts.enums import Role
from solidarnum.accounts.models import Invitation, Membership

LEAD = "Référent·e principal·e"


def test_a_lead_referent_is_named_as_such(world):
    lead = Membership.objects.get(user=world.users["lead_referent"])
    plain = Membership.objects.get(user=world.users["referent"])
    assert lead.get_role_display() == LEAD
    assert plain.get_role_display() == str(Role.REFERENT.label)
    assert str(lead).startswith(LEAD)
    invitation = Invitation(
        email="x@example.org", role=Role.REFERENT, partner_structure=world.structure_a, is_lead=True
    )
    assert invitation.get_role_display() == LEAD


def test_pages_listing_roles_name_the_lead_referent(world, clients):
    Invitation.objects.create(
        email="new.lead@example.org",
        role=Role.REFERENT,
        partner_structure=world.structure_a,
        is_lead=True,
        invited_by=world.users["lead_referent"],
    )
    team = unescape(clients["lead_referent"].get(reverse("accounts:team")).content.decode())
    # Léa (the lead), the pending lead invitation, and the active role in the header.
    assert team.count(LEAD) >= 3, team
    colleagues = unescape(
        clients["referent"].get(reverse("accounts:my_organisation")).content.decode()
    )
    assert LEAD in colleagues
    assert "(principal)" not in colleagues
    users = unescape(clients["admin"].get(reverse("accounts:user_list")).content.decode())
    assert LEAD in users
