from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q

from solidarnum.beneficiaries import reach


@pytest.fixture
def accompany() -> Iterator[Any]:
    """`accompany(person, ...)`: the site's volunteers now accompany these people, as the agenda
    would say through the reach registry (ADR 0036)."""
    ids: list[int] = []

    def people(scope: Any) -> Q:
        return Q(pk__in=list(ids))

    reach.register(people)

    def add(*beneficiaries: Any) -> None:
        ids.extend(b.pk for b in beneficiaries)

    yield add
    reach.unregister(people)
