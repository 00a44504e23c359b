"""Access-matrix rows for transfers and stock counts, and the builders their tests share."""

from typing import Any

from solidarnum.accounts.scope import Scope, resolve_scope
from solidarnum.equipment.enums import Status
from solidarnum.equipment.logistics import services
from solidarnum.equipment.models import Device, StockCount, Transfer
from tests.equipment.factories import make_device
from tests.matrix import ADMIN, SITE_A_STAFF, SITE_B_STAFF, WORKSHOP, expect

# Who passes the role rule of the transfer pages (permissions.TRANSFER_ACTORS).
TRANSFER_ACTORS = ADMIN | SITE_A_STAFF | SITE_B_STAFF | WORKSHOP
# Who passes the role rule of the stock-count pages (permissions.STOCK_KEEPERS).
STOCK_KEEPERS = ADMIN | SITE_A_STAFF | SITE_B_STAFF


def scope_for(world: Any, role: str) -> Scope:
    return resolve_scope(world.users[role], None)


def workshop_transfer(world: Any, n: int = 2, to: str = "a") -> Transfer:
    """`n` devices "retour atelier" sent by the workshop to site A (or B)."""
    devices = [make_device(world, status=Status.BACK_FROM_WORKSHOP, site=None) for _ in range(n)]
    return services.send_transfer(
        acting_user=world.users["refurbisher_contact"],
        scope=scope_for(world, "refurbisher_contact"),
        devices=devices,
        to_point=world.site_a if to == "a" else world.site_b,
        from_refurbisher=world.refurbisher,
    )


def site_transfer(world: Any, n: int = 2, *, from_site: str = "a") -> Transfer:
    """`n` available devices sent from one site to the other by its staff."""
    sender, origin, destination = (
        ("staff_a", world.site_a, world.site_b)
        if from_site == "a"
        else ("staff_b", world.site_b, world.site_a)
    )
    devices = [make_device(world, site=from_site) for _ in range(n)]
    return services.send_transfer(
        acting_user=world.users[sender],
        scope=scope_for(world, sender),
        devices=devices,
        to_point=destination,
        from_point=origin,
    )


def transfer_with_gap(world: Any) -> tuple[Transfer, Device]:
    """A workshop transfer to site A received with one device missing."""
    transfer = workshop_transfer(world, n=2)
    first, missing = (item.device for item in transfer.items.order_by("device_id"))
    services.receive_transfer(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        transfer=transfer,
        received_ids=[first.pk],
        discrepancy_note="Un carton manquant",
    )
    return transfer, missing


def stock_count_a(world: Any) -> StockCount:
    return services.start_stock_count(
        acting_user=world.users["staff_a"],
        scope=scope_for(world, "staff_a"),
        reception_point=world.site_a,
    )


def _workshop_transfer_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": workshop_transfer(world).pk}


def _b_to_a_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": site_transfer(world, from_site="b").pk}


def _gap_kwargs(world: Any) -> dict[str, Any]:
    transfer, missing = transfer_with_gap(world)
    return {"pk": transfer.pk, "device_pk": missing.pk}


def _count_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": stock_count_a(world).pk}


SITE_A_RECEIVERS = ADMIN | SITE_A_STAFF

ROWS = [
    ("equipment:transfer_list", None, "get", expect(TRANSFER_ACTORS)),
    # The national team first chooses an origin; the others send from their own place.
    ("equipment:transfer_create", None, "get", expect(TRANSFER_ACTORS)),
    # Workshop -> site A: the workshop and site A see it; site B does not (404).
    (
        "equipment:transfer_detail",
        _workshop_transfer_kwargs,
        "get",
        expect(SITE_A_RECEIVERS | {"refurbisher_contact"}, staff_b=404),
    ),
    # Site B -> site A: site B sent it, so its staff sees it; the workshop does not (404).
    (
        "equipment:transfer_detail",
        _b_to_a_kwargs,
        "get",
        expect(SITE_A_RECEIVERS | SITE_B_STAFF, refurbisher_contact=404),
    ),
    # An empty reception (nothing ticked, no note) is refused with 400 once access is granted;
    # only the destination receives: the sender sees the transfer but gets 403.
    (
        "equipment:transfer_receive",
        _workshop_transfer_kwargs,
        "post",
        expect(SITE_A_RECEIVERS, ok_code=400, staff_b=404),
    ),
    (
        "equipment:transfer_receive",
        _b_to_a_kwargs,
        "post",
        expect(SITE_A_RECEIVERS, ok_code=400, refurbisher_contact=404),
    ),
    (
        "equipment:transfer_receive_late",
        _gap_kwargs,
        "post",
        expect(SITE_A_RECEIVERS, ok_code=302, staff_b=404),
    ),
    ("equipment:stock_count_list", None, "get", expect(STOCK_KEEPERS)),
    # Site staff start a count of their own site; the national team only reads.
    ("equipment:stock_count_start", None, "post", expect(STOCK_KEEPERS - ADMIN, ok_code=302)),
    ("equipment:stock_count_detail", _count_kwargs, "get", expect(SITE_A_RECEIVERS, staff_b=404)),
    (
        "equipment:stock_count_scan",
        _count_kwargs,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    (
        "equipment:stock_count_close",
        _count_kwargs,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
]
