"""Two people deciding on the same referral at the same moment: one wins, the other is told.

Real concurrent transactions need PostgreSQL (row locks); SQLite serialises whole writes.
"""

import pytest
from django.db import connection

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.common.errors import ServiceError
from solidarnum.referrals import services
from solidarnum.referrals.enums import ReferralStatus
from solidarnum.referrals.models import Referral, RefusalReason
from tests.race import race
from tests.referrals.factories import make_referral

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"
    ),
    # serialized_rollback: the refusal reasons created by a data migration survive the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fresh(pk: int) -> Referral:
    return Referral.objects.get(pk=pk)


def test_two_validations_at_once_open_one_file(world):
    referral = make_referral(world)
    staff, manager = world.users["staff_a"], world.users["manager_a"]

    outcomes = race(
        lambda: services.validate_referral(acting_user=staff, referral=_fresh(referral.pk)),
        lambda: services.validate_referral(acting_user=manager, referral=_fresh(referral.pk)),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ServiceError)
    assert Beneficiary.objects.count() == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VALIDATED
    assert referral.beneficiary == Beneficiary.objects.get()


def test_refusals_racing_a_validation_leave_one_decision(world):
    referral = make_referral(world)
    reason = RefusalReason.objects.get(code="injoignable")
    staff, manager = world.users["staff_a"], world.users["manager_a"]

    outcomes = race(
        lambda: services.validate_referral(acting_user=staff, referral=_fresh(referral.pk)),
        lambda: services.refuse_referral(
            acting_user=manager, referral=_fresh(referral.pk), reason=reason
        ),
        lambda: services.refuse_referral(
            acting_user=manager, referral=_fresh(referral.pk), reason=reason
        ),
    )

    winners = [value for kind, value in outcomes if kind == "ok"]
    losers = [value for kind, value in outcomes if kind == "error"]
    assert len(winners) == 1, outcomes
    assert all(isinstance(error, ServiceError) for error in losers)
    referral.refresh_from_db()
    assert referral.status == winners[0].status
    if referral.status == ReferralStatus.VALIDATED:
        assert Beneficiary.objects.count() == 1 and referral.refusal_reason is None
    else:
        assert referral.status == ReferralStatus.REFUSED
        assert Beneficiary.objects.count() == 0 and referral.beneficiary is None
