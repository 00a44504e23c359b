"""The eligibility rules, as a table: facts about a person, a basket, the refusals expected."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from solidarnum.sales import eligibility as e
from solidarnum.sales.refunds.services import void_sale
from tests.connectivity.factories import make_codes, make_offer
from tests.equipment.factories import make_device, make_prices
from tests.sales.factories import make_person, open_till, scope_of_user, sell

TODAY = date(2026, 12, 1)
CURRENT = e.Period(date(2026, 6, 1), date(2027, 12, 1))
ENDED = e.Period(date(2025, 1, 1), date(2026, 11, 30))
FUTURE = e.Period(date(2026, 12, 10), date(2028, 6, 10))
RECHARGE = e.OfferUse(1, "Recharge essentielle", 2)
RECHARGE_USED_2 = e.OfferUse(
    1, "Recharge essentielle", 2, 2, datetime(2026, 11, 10, 15, tzinfo=UTC)
)
RECHARGE_USED_1 = e.OfferUse(
    1, "Recharge essentielle", 2, 1, datetime(2026, 11, 20, 15, tzinfo=UTC)
)
SIM_NO_QUOTA = e.OfferUse(2, "Carte SIM", None, 9)


def facts(**kw):
    kw.setdefault("periods", (CURRENT,))
    return e.Facts(today=TODAY, **kw)


CASES = [
    # id, facts, wanted, [(rule, text in the message, overridable)]
    ("access-current-nothing-refused", facts(), e.Wanted((1,), ("laptop",)), []),
    (
        "merged-file",
        facts(is_merged=True),
        e.Wanted((1,)),
        [(e.Rule.INACTIVE_FILE, "fusionné avec un autre : ouvrez le dossier principal", False)],
    ),
    (
        "anonymised-file",
        facts(is_anonymised=True),
        e.Wanted((1,)),
        [(e.Rule.INACTIVE_FILE, "anonymisé : aucune vente", False)],
    ),
    (
        "no-access-period-ever",
        facts(periods=()),
        e.Wanted((1,)),
        [(e.Rule.NO_ACCESS, "une orientation validée est nécessaire", False)],
    ),
    (
        "access-ended",
        facts(periods=(ENDED,)),
        e.Wanted((1,)),
        [(e.Rule.NO_ACCESS, "Accès terminé le 30 novembre 2026, une nouvelle orientation", False)],
    ),
    (
        "access-not-started",
        facts(periods=(FUTURE,)),
        e.Wanted((1,)),
        [(e.Rule.NO_ACCESS, "commence le 10 décembre 2026", False)],
    ),
    (
        "ended-then-renewed-is-current",
        facts(periods=(ENDED, CURRENT)),
        e.Wanted((1,)),
        [],
    ),
    (
        "merged-wins-over-no-access",
        facts(is_merged=True, periods=()),
        e.Wanted((1,)),
        [(e.Rule.INACTIVE_FILE, "fusionné", False)],
    ),
    ("quota-one-left", facts(offers={1: RECHARGE_USED_1}), e.Wanted((1,)), []),
    (
        "quota-one-left-two-in-basket",
        facts(offers={1: RECHARGE_USED_1}),
        e.Wanted((1, 1)),
        [(e.Rule.QUOTA, "1 déjà obtenu, 2 dans le panier", False)],
    ),
    (
        "quota-reached-says-next-day",
        facts(offers={1: RECHARGE_USED_2}),
        e.Wanted((1,)),
        [(e.Rule.QUOTA, "Prochain achat possible le 10 décembre 2026", False)],
    ),
    ("quota-fresh-two-in-basket", facts(offers={1: RECHARGE}), e.Wanted((1, 1)), []),
    (
        "quota-fresh-three-in-basket",
        facts(offers={1: RECHARGE}),
        e.Wanted((1, 1, 1)),
        [(e.Rule.QUOTA, "3 dans le panier", False)],
    ),
    ("no-quota-no-limit", facts(offers={2: SIM_NO_QUOTA}), e.Wanted((2, 2, 2)), []),
    (
        "second-laptop-in-period",
        facts(device_kinds={"laptop": date(2026, 7, 3)}),
        e.Wanted((), ("laptop",)),
        [(e.Rule.DEVICE_KIND, "« Ordinateur portable » a déjà été obtenu", True)],
    ),
    (
        "laptop-then-phone-is-fine",
        facts(device_kinds={"laptop": date(2026, 7, 3)}),
        e.Wanted((), ("smartphone",)),
        [],
    ),
    (
        "two-laptops-in-one-basket",
        facts(),
        e.Wanted((), ("laptop", "laptop")),
        [(e.Rule.DEVICE_KIND, "2 appareils « Ordinateur portable »", True)],
    ),
    (
        "quota-and-device-both-said",
        facts(offers={1: RECHARGE_USED_2}, device_kinds={"tablet": date(2026, 8, 1)}),
        e.Wanted((1,), ("tablet",)),
        [(e.Rule.QUOTA, "Quota atteint", False), (e.Rule.DEVICE_KIND, "Tablette", True)],
    ),
]


@pytest.mark.parametrize(
    ("facts_", "wanted", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_rules(facts_, wanted, expected):
    refusals = e.decide(facts_, wanted)
    assert [(r.rule, r.overridable) for r in refusals] == [(x[0], x[2]) for x in expected]
    for refusal, (_rule, text, _over) in zip(refusals, expected, strict=True):
        assert text in refusal.message


def test_every_refusal_says_what_to_do():
    for _id, facts_, wanted, _expected in CASES:
        for refusal in e.decide(facts_, wanted):
            assert refusal.message.endswith("."), refusal.message
            assert len(refusal.message) > 40


def test_facts_count_kept_lines_in_the_window_only(world, django_assert_max_num_queries):
    offer = make_offer(quota_per_30_days=2)
    make_codes(offer, world.site_a, 3)
    make_prices()
    person = make_person(world)
    session = open_till(world)
    sell(world, session, person, offers=(offer,))
    sell(world, session, person, devices=(make_device(world),))
    with django_assert_max_num_queries(4):
        found = e.facts_for(person)
    assert found.offers[offer.pk].used == 1
    assert found.offers[offer.pk].left() == 1
    assert found.current_period is not None
    assert set(found.device_kinds) == {"laptop"}


def test_a_voided_line_does_not_count(world):
    offer = make_offer(quota_per_30_days=1)
    make_codes(offer, world.site_a, 2)
    person = make_person(world)
    session = open_till(world)
    sale = sell(world, session, person, offers=(offer,))
    staff = scope_of_user(world, "staff_a")
    void_sale(acting_user=staff.user, scope=staff, sale=sale, reason="erreur de saisie")
    assert e.facts_for(person).offers[offer.pk].used == 0


def test_a_line_older_than_30_days_does_not_count(world):
    offer = make_offer(quota_per_30_days=1)
    make_codes(offer, world.site_a, 1)
    person = make_person(world, started_days_ago=90)
    session = open_till(world)
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        sell(world, session, person, offers=(offer,))
    assert e.facts_for(person).offers[offer.pk].used == 0
