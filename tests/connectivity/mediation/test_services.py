from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity import tasks
from solidarnum.connectivity.enums import MediationStatus
from solidarnum.connectivity.mediation import services
from solidarnum.connectivity.mediation.deadlines import next_step
from tests.beneficiaries import make_beneficiary

pytestmark = pytest.mark.django_db

OPENED = date(2026, 1, 10)


def test_the_legal_path_says_what_is_due_next_and_by_when():
    step = next_step(
        status="open",
        opened_on=OPENED,
        complaint_on=None,
        consumer_service_on=None,
        mediator_on=None,
    )
    assert "réclamation écrite" in str(step.label) and step.due_on == OPENED
    step = next_step(
        status="in_progress",
        opened_on=OPENED,
        complaint_on=date(2026, 1, 31),
        consumer_service_on=None,
        mediator_on=None,
    )
    assert "service consommateurs" in str(step.label)
    assert (step.due_on, step.limit_on) == (date(2026, 2, 28), date(2027, 1, 31))
    step = next_step(
        status="in_progress",
        opened_on=OPENED,
        complaint_on=date(2026, 1, 31),
        consumer_service_on=date(2026, 3, 2),
        mediator_on=None,
    )
    assert "Médiateur des communications électroniques" in str(step.label)
    assert step.due_on == date(2026, 3, 31)
    assert (
        next_step(
            status="resolved",
            opened_on=OPENED,
            complaint_on=None,
            consumer_service_on=None,
            mediator_on=None,
        )
        is None
    )


def _as(world, role="staff_a"):
    user = world.users[role]
    return {"acting_user": user, "scope": resolve_scope(user, None)}


def test_a_case_follows_the_path_and_the_daily_task_lists_it_when_due(world):
    awa = make_beneficiary(world)
    with time_machine.travel(OPENED, tick=False):
        case = services.open_mediation(
            **_as(world),
            beneficiary=awa,
            kind="unexpected_bill",
            operator="Opérateur X",
            amount_disputed=Decimal("120"),
        )
        services.add_mediation_step(
            **_as(world), case=case, kind="written_complaint", done_on=OPENED, note="lettre AR"
        )
        case.refresh_from_db()
        assert case.status == MediationStatus.IN_PROGRESS
        assert case.next_due_on == date(2026, 2, 10)
        assert tasks.list_due_mediation_cases() == []
    with time_machine.travel(date(2026, 2, 11), tick=False):
        assert tasks.list_due_mediation_cases() == [case.pk]
        with pytest.raises(ServiceError, match="futur"):
            services.add_mediation_step(
                **_as(world), case=case, kind="consumer_service", done_on=date(2026, 3, 1)
            )
        services.close_mediation(
            **_as(world), case=case, status="resolved", amount_recovered=Decimal("120")
        )
        assert tasks.list_due_mediation_cases() == []
    summaries = list(
        TimelineEntry.objects.filter(beneficiary=awa, kind__startswith="connectivity.mediation")
        .order_by("at")
        .values_list("summary", flat=True)
    )
    # Open or resolved, never the details (operator, amounts, kind).
    assert summaries == [
        "Médiation avec un opérateur ouverte",
        "Médiation avec un opérateur résolue",
    ]


def test_the_referent_sees_a_mediation_open_then_resolved_never_its_details(world, clients):
    awa = make_beneficiary(world)
    referral = awa.referrals.get()
    page_url = reverse(
        "referrals:referent_referral_detail", kwargs={"reference": referral.reference}
    )
    case = services.open_mediation(
        **_as(world),
        beneficiary=awa,
        kind="debt",
        operator="Opérateur Zeta",
        amount_disputed=Decimal("321.40"),
    )
    services.add_mediation_step(
        **_as(world),
        case=case,
        kind="written_complaint",
        done_on=timezone.localdate(),
        note="lettre recommandée confidentielle",
    )
    page = clients["lead_referent"].get(page_url).content.decode()
    assert "Médiation opérateur ouverte" in page
    assert "Médiation opérateur résolue" not in page
    services.close_mediation(
        **_as(world), case=case, status="resolved", amount_recovered=Decimal("321.40")
    )
    # A second dispute is a milestone again (a milestone is otherwise reached once).
    second = services.open_mediation(
        **_as(world), beneficiary=awa, kind="termination", operator="Y"
    )
    services.close_mediation(**_as(world), case=second, status="dropped")
    page = clients["lead_referent"].get(page_url).content.decode()
    assert page.count("Médiation opérateur ouverte") == 2
    assert "Médiation opérateur résolue" in page
    assert "Médiation opérateur close sans suite" in page
    for detail in ("Opérateur Zeta", "321", "confidentielle", "Dette", "Résiliation"):
        assert detail not in page


def test_only_the_staff_of_the_persons_site_writes_on_it(world):
    awa = make_beneficiary(world)
    for role in ("staff_b", "volunteer_a", "admin"):
        with pytest.raises(ServiceError):
            services.open_mediation(**_as(world, role), beneficiary=awa, kind="debt", operator="X")


def test_plan_advice_is_recorded_on_the_file(world, clients):
    awa = make_beneficiary(world)
    url = reverse("connectivity:plan_advice_create", kwargs={"public_id": awa.public_id})
    response = clients["staff_a"].post(
        url,
        {
            "needs": "appels et internet",
            "current_plan": "prépayé 20 €",
            "monthly_spend": "20",
            "advice": "Recharge essentielle à 4 €",
            "estimated_monthly_saving": "16",
        },
    )
    assert response.status_code == 302
    page = clients["staff_a"].get(
        reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": awa.public_id}),
        {"onglet": "equipement"},
    )
    assert "économie estimée : 16,00 € par mois" in page.content.decode()
    assert clients["staff_a"].post(url, {"needs": ""}).status_code == 400


def test_the_mediation_pages_open_note_and_close_a_case(world, clients):
    awa = make_beneficiary(world)
    client = clients["staff_a"]
    opened = client.post(
        reverse("connectivity:mediation_create", kwargs={"public_id": awa.public_id}),
        {"kind": "termination", "operator": "Opérateur X", "amount_disputed": "49,90"},
    )
    assert opened.status_code == 302
    detail = opened["Location"]
    assert "Envoyer la réclamation écrite" in client.get(detail).content.decode()
    step = client.post(
        detail + "etape/",
        {"kind": "written_complaint", "done_on": timezone.localdate().isoformat()},
    )
    assert step.status_code == 302
    assert "saisir le service consommateurs" in client.get(detail).content.decode()
    assert client.post(detail + "cloture/", {"status": "dropped"}).status_code == 302
    assert "Sans suite" in client.get(reverse("connectivity:mediation_list")).content.decode()
