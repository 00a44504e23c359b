from datetime import UTC, datetime

import pytest

from solidarnum.support import staffing

NEED = staffing.Need(
    site_id=1,
    starts_at=datetime(2026, 12, 8, 13, 0, tzinfo=UTC),
    ends_at=datetime(2026, 12, 8, 14, 30, tzinfo=UTC),
    skill="one_to_one",
    languages=("ar",),
    beneficiary_id=7,
)


@pytest.fixture(autouse=True)
def _clean_registry():
    with staffing.only():
        yield


def test_without_a_proposer_the_candidates_come_back_in_order_without_reasons():
    assert staffing.propose(NEED, [3, 1, 2]) == [
        staffing.Proposal(3, ()),
        staffing.Proposal(1, ()),
        staffing.Proposal(2, ()),
    ]


def test_a_registered_proposer_ranks_and_filters():
    def rank(need, ids):
        assert need is NEED
        return [staffing.Proposal(pk, ("parle arabe",)) for pk in sorted(ids) if pk != 2]

    staffing.register_proposer(rank)
    assert staffing.propose(NEED, [3, 1, 2]) == [
        staffing.Proposal(1, ("parle arabe",)),
        staffing.Proposal(3, ("parle arabe",)),
    ]


def test_refusal_for_gives_the_first_refusal_or_none():
    assert staffing.refusal_for(NEED, 1) is None
    staffing.register_checker(lambda need, pk: None)
    staffing.register_checker(lambda need, pk: "Pas disponible ce jour-là." if pk == 1 else None)
    staffing.register_checker(lambda need, pk: "Autre refus.")
    assert staffing.refusal_for(NEED, 1) == "Pas disponible ce jour-là."
    assert staffing.refusal_for(NEED, 2) == "Autre refus."


def test_only_puts_back_the_functions_registered_before_even_after_an_error():
    def before(need, ids):
        return []

    def inside():
        with staffing.only(checkers=[lambda need, pk: "non"]):
            assert staffing.refusal_for(NEED, 1) == "non"
            assert staffing.propose(NEED, [1]) == [staffing.Proposal(1, ())]
            raise RuntimeError

    staffing.register_proposer(before)
    with pytest.raises(RuntimeError):
        inside()
    assert staffing.refusal_for(NEED, 1) is None
    assert staffing.propose(NEED, [1]) == []
