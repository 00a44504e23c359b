"""The retention extension point: an app above beneficiaries that keeps people's names and
contact details registers how to scrub them; the daily anonymisation
(`tasks.anonymise_personal_data`) calls each registered keeper in its one transaction.

A keeper scrubs its own rows whose delay ran out (`expired(cutoff, now)`, returning how many),
then the rows tied to the files anonymised in the same run (`of_files(ids, now)`).

    from solidarnum.beneficiaries import retention
    retention.register(retention.Keeper("referrals", expired=..., of_files=...))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ANONYMOUS_NAME = "Anonymisé"
# Identity and contact fields, with the value that replaces them.
SCRUBBED: dict[str, Any] = {
    "first_name": ANONYMOUS_NAME,
    "last_name": "",
    "phone": "",
    "has_no_phone": True,
    "email": "",
    "contact_notes": "",
    "languages": [],
    "search_name": "",
}


@dataclass(frozen=True)
class Keeper:
    name: str  # the key of its count in the anonymisation's result
    expired: Callable[[datetime, datetime], int]
    of_files: Callable[[list[int], datetime], None]


_keepers: list[Keeper] = []


def register(keeper: Keeper) -> None:
    """Register a keeper once (a second registration under the same name is ignored)."""
    if all(known.name != keeper.name for known in _keepers):
        _keepers.append(keeper)


def keepers() -> list[Keeper]:
    return list(_keepers)
