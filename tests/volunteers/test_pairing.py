"""The pure pairing rules: never proposed when unavailable, absent, elsewhere or without the
skill; ranked by language, continuity, fewest hours; reasons in French. No database."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from solidarnum.volunteers import pairing
from solidarnum.volunteers.enums import Skill

PARIS = ZoneInfo("Europe/Paris")
SITE, OTHER = 1, 2
TUESDAY = 1  # 2026-12-08 is a Tuesday


@dataclass(frozen=True)
class Need:
    site_id: int = SITE
    starts_at: datetime = datetime(2026, 12, 8, 14, 0, tzinfo=PARIS)
    ends_at: datetime = datetime(2026, 12, 8, 15, 30, tzinfo=PARIS)
    skill: str = "one_to_one"
    languages: tuple[str, ...] = ()
    beneficiary_id: int | None = None


def volunteer(user_id, *slots, **extra):
    defaults = {
        "site_ids": frozenset({SITE}),
        "skills": frozenset({Skill.ONE_TO_ONE}),
        "languages": ("fr",),
        "slots": slots or (pairing.Slot(SITE, TUESDAY, time(14), time(17)),),
    }
    defaults.update(extra)
    return pairing.Facts(user_id, **defaults)


def test_a_volunteer_within_a_slot_at_the_site_with_the_skill_may_take_the_need():
    assert pairing.refusal(Need(), volunteer(1)) is None


@pytest.mark.parametrize(
    ("slot", "why"),
    [
        (pairing.Slot(SITE, TUESDAY, time(14, 30), time(17)), "starts after the need"),
        (pairing.Slot(SITE, TUESDAY, time(13), time(15)), "ends before the need"),
        (pairing.Slot(SITE, TUESDAY + 1, time(9), time(18)), "another day"),
        (pairing.Slot(OTHER, TUESDAY, time(9), time(18)), "another site"),
    ],
)
def test_a_slot_that_does_not_cover_the_whole_need_is_refused(slot, why):
    refusal = pairing.refusal(Need(), volunteer(1, slot))
    assert refusal == "Cette personne n'est pas disponible à cet horaire.", why


def test_two_overlapping_slots_do_not_add_up_to_one_that_covers_the_need():
    """14:00-15:00 and 14:30-16:00 each miss part of 14:00-15:30: not proposed."""
    facts = volunteer(
        1,
        pairing.Slot(SITE, TUESDAY, time(14), time(15)),
        pairing.Slot(SITE, TUESDAY, time(14, 30), time(16)),
    )
    assert pairing.refusal(Need(), facts) is not None
    assert pairing.rank(Need(), [facts]) == []


def test_a_need_at_the_exact_edges_of_a_slot_is_covered():
    need = Need(
        starts_at=datetime(2026, 12, 8, 14, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 8, 17, tzinfo=PARIS),
    )
    assert pairing.refusal(need, volunteer(1)) is None


def test_the_slot_is_read_in_local_time_whatever_the_need_s_time_zone():
    need = Need(
        starts_at=datetime(2026, 12, 8, 13, 0, tzinfo=ZoneInfo("UTC")),  # 14:00 in Paris
        ends_at=datetime(2026, 12, 8, 14, 30, tzinfo=ZoneInfo("UTC")),
    )
    assert pairing.refusal(need, volunteer(1)) is None


@pytest.mark.parametrize(
    ("first", "last", "refused"),
    [
        (date(2026, 12, 1), date(2026, 12, 7), False),  # ends the day before
        (date(2026, 12, 8), date(2026, 12, 8), True),  # that very day
        (date(2026, 12, 1), date(2026, 12, 31), True),  # around it
        (date(2026, 12, 9), date(2026, 12, 20), False),  # starts the day after
    ],
)
def test_an_absence_that_covers_the_day_refuses_the_volunteer(first, last, refused):
    facts = volunteer(1, absences=((first, last),))
    refusal = pairing.refusal(Need(), facts)
    assert (refusal is not None) is refused
    if refused:
        assert "absente du" in refusal


def test_without_the_skill_or_at_another_site_or_paused_the_volunteer_is_refused():
    assert "compétence" in pairing.refusal(Need(skill="workshop"), volunteer(1))
    assert "ce point d'accueil" in pairing.refusal(Need(site_id=OTHER), volunteer(1))
    assert "pause" in pairing.refusal(Need(), volunteer(1, is_active=False))
    assert "profil" in pairing.refusal(Need(), volunteer(1, has_profile=False))


def test_a_course_asks_for_the_workshop_skill():
    facts = volunteer(1, skills=frozenset({Skill.WORKSHOP}))
    assert pairing.refusal(Need(skill="course"), facts) is None


def test_the_site_s_employees_are_never_refused_and_come_after_the_volunteers():
    staff = pairing.Facts(9, is_employee=True)
    assert pairing.refusal(Need(), staff) is None
    ranked = pairing.rank(Need(), [staff, volunteer(1)])
    assert [r.user_id for r in ranked] == [1, 9]
    assert ranked[1].reasons == ("salarié·e du point d'accueil",)


def test_a_person_who_speaks_no_french_gets_only_volunteers_who_speak_their_language():
    need = Need(languages=("ar",))
    arabic = volunteer(1, languages=("fr", "ar"))
    french = volunteer(2, languages=("fr",))
    ranked = pairing.rank(need, [french, arabic])
    assert [r.user_id for r in ranked] == [1]
    assert "parle arabe" in ranked[0].reasons


def test_a_language_the_volunteer_shares_ranks_first_when_the_person_also_speaks_french():
    need = Need(languages=("fr", "uk"))
    ranked = pairing.rank(
        need,
        [
            volunteer(1, minutes_this_month=0),
            volunteer(2, languages=("fr", "uk"), minutes_this_month=600),
        ],
    )
    assert [r.user_id for r in ranked] == [2, 1]
    assert "parle ukrainien" in ranked[0].reasons


def test_continuity_with_the_previous_volunteer_ranks_before_fewer_hours():
    need = Need(beneficiary_id=42)
    ranked = pairing.rank(
        need,
        [
            volunteer(1, minutes_this_month=60),
            volunteer(2, minutes_this_month=900, accompanied=frozenset({42})),
        ],
    )
    assert [r.user_id for r in ranked] == [2, 1]
    assert "a déjà accompagné cette personne" in ranked[0].reasons


def test_then_the_fewest_hours_this_month_come_first_with_their_hours_as_reason():
    ranked = pairing.rank(
        Need(),
        [volunteer(1, minutes_this_month=600), volunteer(2, minutes_this_month=120)],
    )
    assert [r.user_id for r in ranked] == [2, 1]
    assert "2 h ce mois-ci" in ranked[0].reasons
    assert "disponible le mardi de 14:00 à 17:00" in ranked[0].reasons


def test_the_unavailable_and_the_absent_are_left_out_of_the_proposals():
    ranked = pairing.rank(
        Need(),
        [
            volunteer(1, absences=((date(2026, 12, 8), date(2026, 12, 8)),)),
            volunteer(2, pairing.Slot(SITE, TUESDAY, time(9), time(12))),
            volunteer(3),
        ],
    )
    assert [r.user_id for r in ranked] == [3]


def test_a_need_over_midnight_is_covered_by_no_weekly_slot():
    need = Need(
        starts_at=datetime(2026, 12, 8, 23, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 9, 1, tzinfo=PARIS),
    )
    facts = volunteer(1, pairing.Slot(SITE, TUESDAY, time(20), time(23, 59)))
    assert pairing.refusal(need, facts) is not None
