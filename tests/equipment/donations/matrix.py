"""Access-matrix rows for donations, tax receipts and the donor report."""

from typing import Any

from solidarnum.network.models import RefurbishingPartner
from tests.conftest import make_company
from tests.equipment.factories import make_donation
from tests.matrix import ADMIN, DONOR, WORKSHOP, expect

# Who passes the role rule of the donation pages (permissions.DONATION_READERS).
DONATION_READERS = ADMIN | DONOR | WORKSHOP


def own_donation(world: Any) -> dict[str, Any]:
    """A donation of the donor contact's company, routed to the refurbisher contact's workshop."""
    return {"pk": make_donation(world).pk}


def other_donor_donation(world: Any) -> dict[str, Any]:
    """Another company's donation, still routed to the refurbisher contact's workshop."""
    return {"pk": make_donation(world, donor=world.other_donor).pk}


def other_workshop_donation(world: Any) -> dict[str, Any]:
    """Another company's donation routed to another workshop."""
    workshop = make_company(RefurbishingPartner, "Atelier du Bocage", 13)
    return {"pk": make_donation(world, donor=world.other_donor, refurbisher=workshop).pk}


ROWS = [
    ("equipment:donation_list", None, "get", expect(DONATION_READERS)),
    ("equipment:donation_create", None, "get", expect(ADMIN | DONOR)),
    ("equipment:donation_detail", own_donation, "get", expect(DONATION_READERS)),
    # Another company's donation: the donor contact gets 404, like a missing one.
    (
        "equipment:donation_detail",
        other_donor_donation,
        "get",
        expect(DONATION_READERS, donor_contact=404),
    ),
    (
        "equipment:donation_detail",
        other_workshop_donation,
        "get",
        expect(DONATION_READERS, donor_contact=404, refurbisher_contact=404),
    ),
    # The donor reads the receipt; the workshop (and the national team) records it.
    ("equipment:donation_tax_receipt", own_donation, "get", expect(DONATION_READERS)),
    (
        "equipment:donation_tax_receipt",
        own_donation,
        "post",
        expect(ADMIN | WORKSHOP, ok_code=400),
    ),
    (
        "equipment:donation_tax_receipt",
        other_workshop_donation,
        "get",
        expect(DONATION_READERS, donor_contact=404, refurbisher_contact=404),
    ),
    ("equipment:donor_report", None, "get", expect(ADMIN | DONOR)),
    # The national team must first choose the company: sent back to the report page.
    ("equipment:donor_report_pdf", None, "get", expect({"donor_contact"}, admin=302)),
]
