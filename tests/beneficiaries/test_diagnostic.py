from decimal import Decimal
from types import SimpleNamespace

import pytest

from solidarnum.beneficiaries.diagnostic import (
    CORE_CODES,
    QUESTION_CODES,
    QUESTIONS,
    compute_profile,
    count_alone,
    suggest_services,
)
from solidarnum.beneficiaries.enums import Ability, ConnectionKind, Equipment, Profile

ALONE, HELP, NO = Ability.ALONE.value, Ability.WITH_HELP.value, Ability.NO.value
CRCN_CODES = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"} | {
    "4.1",
    "4.2",
    "4.3",
    "5.1",
    "5.2",
}
NON_CORE = [code for code in QUESTION_CODES if code not in CORE_CODES]


def answers(default: str = ALONE, **overrides: str) -> dict[str, str]:
    return {code: overrides.get(code, default) for code in QUESTION_CODES}


def test_questions_are_a_short_list_of_concrete_abilities_mapped_to_crcn():
    assert 12 <= len(QUESTIONS) <= 16
    assert len(set(QUESTION_CODES)) == len(QUESTIONS)
    assert {q.crcn for q in QUESTIONS} <= CRCN_CODES
    assert {"power_on", "mouse_keyboard", "unlock_phone"} <= set(QUESTION_CODES)
    assert set(CORE_CODES) <= set(QUESTION_CODES)


def test_all_basics_alone_is_advanced_even_with_help_elsewhere():
    assert compute_profile(answers()) == Profile.ADVANCED
    assert compute_profile(answers(**dict.fromkeys(NON_CORE, HELP))) == Profile.ADVANCED


@pytest.mark.parametrize("code", [c for c in CORE_CODES if c != "power_on"])
def test_one_basic_with_help_is_beginner(code):
    assert compute_profile(answers(**{code: HELP})) == Profile.BEGINNER


@pytest.mark.parametrize("answer", [HELP, NO])
def test_not_switching_on_a_device_alone_is_excluded(answer):
    assert compute_profile(answers(power_on=answer)) == Profile.EXCLUDED


def test_a_phone_alone_is_enough_to_use_a_device():
    assert compute_profile(answers(mouse_keyboard=NO)) == Profile.BEGINNER
    assert compute_profile(answers(unlock_phone=NO)) == Profile.BEGINNER
    assert compute_profile(answers(mouse_keyboard=HELP, unlock_phone=NO)) == Profile.EXCLUDED


def test_a_strict_majority_of_no_is_excluded():
    majority = len(QUESTION_CODES) // 2 + 1  # 8 of 15
    assert len(NON_CORE) >= majority
    just_below = answers(**dict.fromkeys(NON_CORE[: majority - 1], NO))
    at_majority = answers(**dict.fromkeys(NON_CORE[:majority], NO))
    # Below the majority the basics decide; at the majority the person is excluded.
    assert compute_profile(just_below) == Profile.ADVANCED
    assert compute_profile(at_majority) == Profile.EXCLUDED


def test_missing_answers_count_as_no():
    assert compute_profile({}) == Profile.EXCLUDED
    basics_only = dict.fromkeys(CORE_CODES, ALONE)  # 9 missing answers: a majority of no
    assert compute_profile(basics_only) == Profile.EXCLUDED
    basics_and_more = {**basics_only, **dict.fromkeys(NON_CORE[:2], ALONE)}  # 7 missing
    assert compute_profile(basics_and_more) == Profile.ADVANCED


def test_everything_with_help_is_beginner():
    assert compute_profile(answers(HELP, power_on=ALONE, unlock_phone=ALONE)) == Profile.BEGINNER


def test_count_alone_shows_progress():
    assert count_alone(answers()) == len(QUESTION_CODES)
    assert count_alone(answers(NO, power_on=ALONE)) == 1
    assert count_alone({}) == 0


def diag(equipment=(), connection=ConnectionKind.MOBILE_PLAN, spend=None):
    return SimpleNamespace(
        equipment=list(equipment), connection=connection, telecom_spend_monthly=spend
    )


def test_no_computer_nor_smartphone_suggests_equipment():
    assert "Équiper : matériel reconditionné" in suggest_services(
        Profile.ADVANCED, diag([Equipment.BASIC_PHONE])
    )
    assert "Équiper : matériel reconditionné" not in suggest_services(
        Profile.ADVANCED, diag([Equipment.SMARTPHONE])
    )


@pytest.mark.parametrize(
    ("connection", "spend", "suggested"),
    [
        (ConnectionKind.NONE, None, True),
        (ConnectionKind.PUBLIC_WIFI, None, True),
        (ConnectionKind.PREPAID, Decimal("20"), False),
        (ConnectionKind.PREPAID, Decimal("20.01"), True),
        (ConnectionKind.MOBILE_PLAN, Decimal("45"), False),
        (ConnectionKind.HOME_INTERNET, None, False),
    ],
)
def test_no_connection_or_costly_prepaid_suggests_solidarity_top_up(connection, spend, suggested):
    services = suggest_services(Profile.BEGINNER, diag([Equipment.SMARTPHONE], connection, spend))
    assert ("Connecter : recharge solidaire" in services) is suggested


def test_support_follows_the_profile():
    for profile in (Profile.EXCLUDED, Profile.BEGINNER):
        assert "Accompagner : parcours d'initiation 12 h" in suggest_services(profile, diag())
    advanced = suggest_services(Profile.ADVANCED, diag([Equipment.COMPUTER]))
    assert advanced == ["Accompagner : permanence connectée ponctuelle"]
