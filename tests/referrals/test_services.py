import pytest
from django.core import mail

from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary, TimelineEntry
from solidarnum.common.errors import ServiceError
from solidarnum.referrals import services
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import RefusalReason

from .factories import make_referral


def test_reference_codes_are_short_and_unambiguous(world):
    referral = make_referral(world)
    assert len(referral.reference) == 6
    assert not set(referral.reference) & set("01OIL")


def test_validation_opens_the_file_and_an_access_period(world, django_capture_on_commit_callbacks):
    referral = make_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VALIDATED
    beneficiary = referral.beneficiary
    assert beneficiary.birth_year == 1985 and beneficiary.reception_point == world.site_a
    period = AccessPeriod.objects.get(beneficiary=beneficiary)
    assert 545 <= (period.ends_on - period.starts_on).days <= 549  # 18 months
    assert TimelineEntry.objects.filter(beneficiary=beneficiary, milestone="first_visit").exists()
    assert "Validée" in mail.outbox[0].subject
    assert mail.outbox[0].to == [world.users["lead_referent"].email]


def test_a_closed_referral_cannot_change_again(world):
    referral = make_referral(world)
    services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    with pytest.raises(ServiceError):
        services.validate_referral(acting_user=world.users["staff_a"], referral=referral)
    reason = RefusalReason.objects.get(code="autre")
    with pytest.raises(ServiceError):
        services.refuse_referral(
            acting_user=world.users["staff_a"], referral=referral, reason=reason
        )
    assert Beneficiary.objects.count() == 1


def test_refusal_keeps_its_coded_reason_and_hidden_reasons_are_refused(world):
    referral = make_referral(world)
    hidden = RefusalReason.objects.get(code="pas-de-place")
    hidden.is_active = False
    hidden.save()
    with pytest.raises(ServiceError):
        services.refuse_referral(
            acting_user=world.users["staff_a"], referral=referral, reason=hidden
        )
    reason = RefusalReason.objects.get(code="hors-territoire")
    services.refuse_referral(
        acting_user=world.users["staff_a"],
        referral=referral,
        reason=reason,
        comment="Habite à Lille",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFUSED
    assert referral.refusal_reason == reason


def test_a_new_referral_renews_access_on_the_same_file(world):
    first = make_referral(world)
    services.validate_referral(acting_user=world.users["staff_a"], referral=first)
    second = make_referral(world)
    first.refresh_from_db()
    services.validate_referral(
        acting_user=world.users["staff_a"], referral=second, existing=first.beneficiary
    )
    assert Beneficiary.objects.count() == 1
    assert AccessPeriod.objects.filter(beneficiary=first.beneficiary).count() == 2


def test_creating_a_referral_keeps_the_ticked_needs_in_order(world):
    referral = make_referral(
        world, needs_connect=True, needs_priority=["support", "connect", "connect"]
    )
    # Only ticked needs, each once; the rest in the usual order.
    assert referral.needs_priority == ["connect", "equip"]


def test_a_referral_sent_through_the_api_gets_the_usual_order(world):
    from tests.api import issue_token, token_client

    _token, key = issue_token(world, "referent")
    data = {
        "first_name": "Mariam",
        "last_name": "Kouyaté",
        "birth_year": 1979,
        "phone": "06 12 34 56 78",
        "housing": "sheltered",
        "needs_support": True,
        "needs_connect": True,
        "reason": "Recherche d'emploi.",
        "consent": True,
    }
    response = token_client(key).post("/api/v1/referrals/", data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["needs_connect"] is True and body["needs_support"] is True
    assert "needs_priority" not in body  # the API keeps its shape
    from solidarnum.referrals.models import Referral

    assert Referral.objects.get().needs_priority == ["connect", "support"]
