"""The file's `access_ends_on`: the effective end of its latest access period, kept on the file by
every service that opens, renews, ends or moves an access period, so that the people list filters
and sorts on an indexed column instead of a subquery per file."""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from solidarnum.beneficiaries import services
from solidarnum.beneficiaries.enums import ExitOutcome
from solidarnum.beneficiaries.models import AccessPeriod, Beneficiary
from solidarnum.referrals.services import validate_referral
from tests.referrals.factories import make_referral

from . import make_beneficiary


def computed_end(beneficiary: Beneficiary):
    """The rule, computed from the periods themselves."""
    latest = (
        AccessPeriod.objects.filter(beneficiary=OuterRef("pk"))
        .order_by("-ends_on", "-pk")
        .annotate(last_day=Coalesce("ended_early_on", "ends_on"))
        .values("last_day")[:1]
    )
    return (
        Beneficiary.objects.filter(pk=beneficiary.pk)
        .annotate(end=Subquery(latest))
        .values_list("end", flat=True)
        .get()
    )


def kept_end(beneficiary: Beneficiary):
    return Beneficiary.objects.values_list("access_ends_on", flat=True).get(pk=beneficiary.pk)


def test_a_new_file_from_a_referral_carries_the_end_of_its_access_period(world):
    beneficiary = make_beneficiary(world)
    period = AccessPeriod.objects.get(beneficiary=beneficiary)
    assert kept_end(beneficiary) == period.ends_on == computed_end(beneficiary)


def test_opening_a_period_later_moves_the_end(world):
    beneficiary = make_beneficiary(world)
    later = timezone.localdate() + timedelta(days=40)
    period = services.open_access_period(
        acting_user=world.users["staff_a"], beneficiary=beneficiary, today=later
    )
    assert kept_end(beneficiary) == period.ends_on == computed_end(beneficiary)


def test_a_referral_validated_into_an_existing_file_renews_its_end(world):
    beneficiary = make_beneficiary(world)
    AccessPeriod.objects.filter(beneficiary=beneficiary).update(
        ends_on=timezone.localdate() - timedelta(days=3),
        starts_on=timezone.localdate() - timedelta(days=500),
    )
    Beneficiary.objects.filter(pk=beneficiary.pk).refresh_access_ends_on()
    validate_referral(
        acting_user=world.users["manager_a"],
        referral=make_referral(world),
        existing=beneficiary,
    )
    assert kept_end(beneficiary) == computed_end(beneficiary)
    assert kept_end(beneficiary) > timezone.localdate()


def test_an_exit_ends_access_on_the_file_today(world):
    beneficiary = make_beneficiary(world)
    services.record_exit(
        acting_user=world.users["staff_a"],
        beneficiary=beneficiary,
        outcome=ExitOutcome.MOVED_AWAY,
        is_equipped=False,
        is_connected=False,
        has_basic_skills=False,
    )
    assert kept_end(beneficiary) == timezone.localdate() == computed_end(beneficiary)


def test_a_merge_gives_the_kept_file_the_latest_end_and_the_merged_one_none(world):
    kept = make_beneficiary(world)
    merged = make_beneficiary(world, first_name="Awa", last_name="DIALLO")
    later = timezone.localdate() + timedelta(days=90)
    services.open_access_period(acting_user=world.users["staff_a"], beneficiary=merged, today=later)
    services.merge_beneficiaries(acting_user=world.users["staff_a"], kept=kept, merged=merged)
    assert kept_end(kept) == computed_end(kept)
    assert kept_end(kept) > timezone.localdate() + timedelta(days=400)
    assert kept_end(merged) is None and computed_end(merged) is None


def test_a_file_without_period_has_no_end(world):
    beneficiary = make_beneficiary(world)
    AccessPeriod.objects.filter(beneficiary=beneficiary).delete()
    Beneficiary.objects.filter(pk=beneficiary.pk).refresh_access_ends_on()
    assert kept_end(beneficiary) is None
