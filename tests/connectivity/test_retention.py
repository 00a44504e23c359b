"""The daily anonymisation forgets relay buyers' first names after the delay, and what staff
wrote about an anonymised person's plan and disputes (ADR 0029)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from solidarnum.accounts.scope import resolve_scope
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.tasks import anonymise_personal_data
from solidarnum.connectivity.mediation import services
from solidarnum.connectivity.models import MediationStep, PlanAdvice, RelaySale
from tests.beneficiaries import make_beneficiary
from tests.connectivity.factories import make_offer

pytestmark = pytest.mark.django_db


def _sale(world, offer, name, days_ago):
    return RelaySale.objects.create(
        relay=world.relay_a,
        offer=offer,
        quantity=1,
        unit_price=Decimal("4"),
        total=Decimal("4"),
        buyer_first_name=name,
        buyer_birth_year=1984,
        buyer_key=name.lower(),
        sold_at=timezone.now() - timedelta(days=days_ago),
    )


def test_old_relay_buyers_lose_their_first_name_not_the_counts(world, settings):
    offer = make_offer()
    old = _sale(world, offer, "Awa", settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    recent = _sale(world, offer, "Binta", 3)
    assert anonymise_personal_data()["connectivity"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.buyer_first_name, old.buyer_key, old.total) == ("Anonymisé", "", Decimal("4"))
    assert recent.buyer_first_name == "Binta"
    assert anonymise_personal_data()["connectivity"] == 0


def test_an_anonymised_file_loses_the_words_of_its_plan_advice_and_mediation(world):
    scope = resolve_scope(world.users["staff_a"], None)
    gone, staying = make_beneficiary(world), make_beneficiary(world, last_name="Toujours")
    for person in (gone, staying):
        services.record_plan_advice(
            acting_user=scope.user,
            scope=scope,
            beneficiary=person,
            needs="appeler sa fille au Mali",
            advice="Recharge essentielle",
            monthly_spend=Decimal("25"),
        )
        case = services.open_mediation(
            acting_user=scope.user, scope=scope, beneficiary=person, kind="debt", operator="X"
        )
        services.add_mediation_step(
            acting_user=scope.user,
            scope=scope,
            case=case,
            kind="written_complaint",
            done_on=timezone.localdate(),
            note="dette contractée pendant son hospitalisation",
        )
    Beneficiary.objects.filter(pk=gone.pk).update(
        exited_on=timezone.localdate() - timedelta(days=800)
    )
    anonymise_personal_data()
    plan = PlanAdvice.objects.get(beneficiary=gone)
    assert (plan.needs, plan.advice, plan.monthly_spend) == ("", "", Decimal("25"))
    assert MediationStep.objects.get(case__beneficiary=gone).note == ""
    assert PlanAdvice.objects.get(beneficiary=staying).needs == "appeler sa fille au Mali"
    assert MediationStep.objects.get(case__beneficiary=staying).note
