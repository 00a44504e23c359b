"""Access-matrix rows for the connectivity pages, and the builders they share."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from solidarnum.connectivity.models import Code, Delivery, Offer, RelayStatement
from tests.connectivity.factories import make_codes, make_offer
from tests.matrix import ADMIN, RELAY, SITE_A_STAFF, SITE_A_TEAM, SITE_B_STAFF, SITE_TEAMS, expect


def offer(world: Any) -> Offer:
    return Offer.objects.filter(name="Recharge essentielle").first() or make_offer()


def offer_pk(world: Any) -> dict[str, int]:
    return {"pk": offer(world).pk}


def code_a(world: Any) -> dict[str, int]:
    """A code in stock at site A."""
    code = (
        Code.objects.filter(reception_point=world.site_a).first()
        or make_codes(offer(world), world.site_a)[0]
    )
    return {"pk": code.pk}


def delivery_a(world: Any) -> dict[str, int]:
    delivery = Delivery.objects.create(
        reception_point=world.site_a, file_name="livraison.csv", row_count=0
    )
    return {"pk": delivery.pk}


def site_a(world: Any) -> dict[str, int]:
    return {"pk": world.site_a.pk}


def relay_a(world: Any) -> dict[str, int]:
    return {"pk": world.relay_a.pk}


def this_month(world: Any) -> dict[str, int]:
    today = timezone.localdate()
    return {"pk": world.relay_a.pk, "year": today.year, "month": today.month}


def validated_last_month(world: Any) -> dict[str, int]:
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    RelayStatement.objects.create(
        relay=world.relay_a,
        month=month,
        received=0,
        sold=0,
        returned=0,
        left=0,
        amount_due=Decimal("0"),
    )
    return {"pk": world.relay_a.pk, "year": month.year, "month": month.month}


SITE_READERS = ADMIN | SITE_TEAMS
RELAY_MANAGERS = ADMIN | SITE_A_STAFF | SITE_B_STAFF

ROWS = [
    ("connectivity:offer_list", None, "get", expect(SITE_READERS)),
    ("connectivity:offer_create", None, "get", expect(ADMIN)),
    ("connectivity:offer_detail", offer_pk, "get", expect(SITE_READERS)),
    ("connectivity:offer_update", offer_pk, "get", expect(ADMIN)),
    ("connectivity:offer_price_create", offer_pk, "get", expect(ADMIN)),
    ("connectivity:offer_withdraw", offer_pk, "post", expect(ADMIN, ok_code=302)),
    (
        "connectivity:stock_overview",
        None,
        "get",
        # A site's team is sent to its own place's stock.
        expect(ADMIN, **dict.fromkeys(SITE_TEAMS, 302)),
    ),
    ("connectivity:stock_place", site_a, "get", expect(ADMIN | SITE_A_TEAM, staff_b=404)),
    (
        "connectivity:stock_alert_set",
        site_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    ("connectivity:code_list", None, "get", expect(SITE_READERS | RELAY)),
    (
        "connectivity:code_detail",
        code_a,
        "get",
        expect(ADMIN | SITE_A_TEAM, staff_b=404, relay_operator=404),
    ),
    # An empty form: the reason is missing (400), nothing revealed.
    ("connectivity:code_reveal", code_a, "post", expect(SITE_A_STAFF, ok_code=400, staff_b=404)),
    (
        "connectivity:code_defective",
        code_a,
        "post",
        expect(SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    ("connectivity:delivery_list", None, "get", expect(SITE_READERS)),
    ("connectivity:delivery_import", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    ("connectivity:delivery_template", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    (
        "connectivity:delivery_detail",
        delivery_a,
        "get",
        expect(ADMIN | SITE_A_TEAM, staff_b=404),
    ),
    ("connectivity:relay_list", None, "get", expect(RELAY_MANAGERS)),
    ("connectivity:relay_detail", relay_a, "get", expect(ADMIN | SITE_A_STAFF, staff_b=404)),
    (
        "connectivity:relay_consign",
        relay_a,
        "post",
        expect(ADMIN | SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    (
        "connectivity:relay_return",
        relay_a,
        "post",
        expect(ADMIN | SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    (
        "connectivity:relay_statement",
        this_month,
        "get",
        expect(ADMIN | SITE_A_STAFF | RELAY, staff_b=404),
    ),
    (
        "connectivity:relay_statement_pdf",
        this_month,
        "get",
        expect(ADMIN | SITE_A_STAFF | RELAY, staff_b=404),
    ),
    (
        "connectivity:relay_statement_validate",
        this_month,
        "post",
        # The month is not over: refused with a message, back to the statement.
        expect(ADMIN | SITE_A_STAFF, ok_code=302, staff_b=404),
    ),
    (
        "connectivity:relay_statement_payment",
        validated_last_month,
        "post",
        expect(ADMIN | SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    ("connectivity:relay_home", None, "get", expect(RELAY)),
    ("connectivity:relay_sale", None, "post", expect(RELAY, ok_code=400)),
    ("connectivity:relay_sales", None, "get", expect(RELAY)),
]


def transfer_a_to_b(world: Any) -> dict[str, int]:
    from solidarnum.connectivity.models import CodeTransfer

    transfer = CodeTransfer.objects.create(
        from_point=world.site_a, to_point=world.site_b, quantity=0
    )
    return {"pk": transfer.pk}


ROWS += [
    ("connectivity:transfer_list", None, "get", expect(SITE_READERS)),
    ("connectivity:transfer_create", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    ("connectivity:transfer_detail", transfer_a_to_b, "get", expect(SITE_READERS)),
    (
        "connectivity:transfer_receive",
        transfer_a_to_b,
        "post",
        # An empty form: 400 for the receiving site; the sender's staff fail the same form.
        expect(SITE_A_STAFF | SITE_B_STAFF, ok_code=400),
    ),
]


def person_a(world: Any) -> dict[str, Any]:
    from tests.beneficiaries import make_beneficiary

    return {"public_id": make_beneficiary(world).public_id}


def case_a(world: Any) -> dict[str, int]:
    from solidarnum.connectivity.models import MediationCase
    from tests.beneficiaries import make_beneficiary

    person = make_beneficiary(world)
    case = MediationCase.objects.create(
        beneficiary=person, reception_point=world.site_a, kind="debt", operator="X"
    )
    return {"pk": case.pk}


ROWS += [
    ("connectivity:plan_advice_create", person_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    ("connectivity:mediation_create", person_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    ("connectivity:mediation_list", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    ("connectivity:mediation_detail", case_a, "get", expect(SITE_A_STAFF, staff_b=404)),
    (
        "connectivity:mediation_step",
        case_a,
        "post",
        expect(SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
    (
        "connectivity:mediation_close",
        case_a,
        "post",
        expect(SITE_A_STAFF, ok_code=400, staff_b=404),
    ),
]

ROWS += [
    ("connectivity:operator_statement", None, "get", expect(ADMIN)),
    ("connectivity:operator_statement_csv", None, "get", expect(ADMIN, ok_code=400)),
    ("connectivity:operator_statement_pdf", None, "get", expect(ADMIN, ok_code=400)),
]


def handover_a(world: Any) -> dict[str, int]:
    from solidarnum.connectivity.models import PackHandover

    sim = Offer.objects.filter(kind="sim").first() or make_offer("Carte SIM", kind="sim")
    handover = PackHandover.objects.create(
        reception_point=world.site_a,
        structure=world.structure_a,
        quantity=1,
        sim_offer=sim,
        top_up_offer=offer(world),
    )
    return {"pk": handover.pk}


ROWS += [
    ("connectivity:pack_list", None, "get", expect(SITE_READERS)),
    ("connectivity:pack_create", None, "get", expect(SITE_A_STAFF | SITE_B_STAFF)),
    ("connectivity:pack_detail", handover_a, "get", expect(ADMIN | SITE_A_TEAM, staff_b=404)),
    ("connectivity:pack_slip", handover_a, "get", expect(ADMIN | SITE_A_TEAM, staff_b=404)),
]


def delivery_job_a(world: Any) -> dict[str, int]:
    """A background reception sent by site A's staff member, waiting for its confirmation."""
    from solidarnum.accounts.models import Membership
    from solidarnum.connectivity.models import DeliveryJob

    user = world.users["staff_a"]
    job = DeliveryJob.objects.create(
        step="check",
        state="checked",
        reception_point=world.site_a,
        created_by=user,
        membership=Membership.objects.filter(user=user).first(),
        file_name="livraison.csv",
        total_rows=0,
    )
    return {"pk": job.pk}


ROWS += [
    # Only the person who sent the file sees its job (the manager of the same site: 404).
    (
        "connectivity:delivery_job",
        delivery_job_a,
        "get",
        expect({"staff_a"}, manager_a=404, staff_b=404),
    ),
    (
        "connectivity:delivery_job_confirm",
        delivery_job_a,
        "post",
        # Confirmed: the job is queued and run inline (its file is gone: it ends "échec").
        expect({"staff_a"}, ok_code=302, manager_a=404, staff_b=404),
    ),
]
