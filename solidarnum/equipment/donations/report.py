"""The donor report: what became of a donor company's devices over a period, never a person.

Counts come from the device history (`DeviceEvent`), so a period shows what happened in it even
when the devices have moved on since. Three aggregate queries whatever the size of the donation:

1. the events of the period, counted per device kind (received, refurbished, sold, recycled,
   spare parts), distinct devices;
2. the devices available today, per kind;
3. for the devices sold in the period, the buyer's id, profile and publics (never a name):
   people are counted in Python, each person once.

Breakdowns of people (by profile, by public) hide any cell of 1 or 2 people: it shows « moins de
3 ». The rule and the reuse-impact method are documented in docs/reuse-impact.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.beneficiaries.enums import Profile, Public
from solidarnum.equipment.enums import DeviceKind, Status
from solidarnum.equipment.models import Device, DeviceEvent
from solidarnum.network.models import DonorCompany

# A breakdown cell counting fewer people than this (but at least one) is not shown.
SMALL_COUNT_THRESHOLD = 3
# The event counted for each figure of the report.
EVENT_FIGURES = {
    "received": Status.RECEIVED,
    "refurbished": Status.BACK_FROM_WORKSHOP,
    "sold": Status.SOLD,
    "recycled": Status.RECYCLED,
    "spare_parts": Status.SPARE_PARTS,
}
# Kinds whose emission factor is our own assumption, not a figure of the source
# (docs/reuse-impact.md). Shown as such on the report.
ASSUMED_FACTOR_KINDS = frozenset({DeviceKind.DESKTOP, DeviceKind.BASIC_PHONE, DeviceKind.HOTSPOT})
NOT_GIVEN = ""


@dataclass(frozen=True)
class KindLine:
    """The figures of one device kind."""

    kind: str
    label: str
    received: int = 0
    refurbished: int = 0
    available: int = 0
    sold: int = 0
    recycled: int = 0
    spare_parts: int = 0
    factor: Decimal = Decimal("0")

    @property
    def avoided_kg(self) -> Decimal:
        return self.factor * self.sold


@dataclass(frozen=True)
class PeopleCell:
    """People counted in one category; `is_masked` when too few to be shown."""

    code: str
    label: str
    count: int
    is_masked: bool = False


@dataclass(frozen=True)
class EmissionFactor:
    kind: str
    label: str
    kg_per_year: Decimal
    is_assumption: bool


@dataclass(frozen=True)
class DonorReport:
    donor: DonorCompany
    start: date
    end: date
    by_kind: list[KindLine]
    people_equipped: int
    by_profile: list[PeopleCell]
    by_public: list[PeopleCell]

    @property
    def received(self) -> int:
        return sum(line.received for line in self.by_kind)

    @property
    def refurbished(self) -> int:
        return sum(line.refurbished for line in self.by_kind)

    @property
    def available(self) -> int:
        return sum(line.available for line in self.by_kind)

    @property
    def sold(self) -> int:
        return sum(line.sold for line in self.by_kind)

    @property
    def recycled(self) -> int:
        return sum(line.recycled for line in self.by_kind)

    @property
    def spare_parts(self) -> int:
        return sum(line.spare_parts for line in self.by_kind)

    @property
    def avoided_kg(self) -> Decimal:
        """kg CO2e avoided over one year of use of the devices reused in the period."""
        return sum((line.avoided_kg for line in self.by_kind), Decimal("0"))


def emission_factors() -> list[EmissionFactor]:
    """The factors of the settings, in the order of the device kinds."""
    factors = settings.EQUIPMENT_EMISSION_FACTORS
    return [
        EmissionFactor(
            kind=kind.value,
            label=str(kind.label),
            kg_per_year=Decimal(str(factors.get(kind.value, 0))),
            is_assumption=kind in ASSUMED_FACTOR_KINDS,
        )
        for kind in DeviceKind
    ]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local midnight of `start` and of the day after `end` (both days included)."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def donor_report(donor: DonorCompany, start: date, end: date) -> DonorReport:
    """The report of `donor` from `start` to `end` (both included). Three queries."""
    since, until = _bounds(start, end)
    # Changes of status only: a change of place keeps the status and is not counted.
    events = DeviceEvent.objects.filter(
        device__donation__donor=donor, at__gte=since, at__lt=until
    ).exclude(from_status=F("to_status"))
    counts: dict[str, dict[str, int]] = {}
    per_kind = (
        events.values("device__kind")
        .annotate(
            **{
                name: Count("device", distinct=True, filter=Q(to_status=status))
                for name, status in EVENT_FIGURES.items()
            }
        )
        .order_by()
    )
    for row in per_kind:
        values: dict[str, Any] = dict(row)
        counts[values["device__kind"]] = {name: values[name] for name in EVENT_FIGURES}
    available = dict(
        Device.objects.filter(donation__donor=donor, status=Status.AVAILABLE)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    sold_ids = events.filter(to_status=Status.SOLD).values("device_id")
    buyers = (
        Device.objects.filter(pk__in=sold_ids, sold_to__isnull=False)
        .values_list("sold_to_id", "sold_to__profile", "sold_to__publics")
        .order_by()
    )
    people: dict[int, tuple[str, list[str]]] = {}
    for person_id, profile, publics in buyers:
        people[person_id] = (profile or NOT_GIVEN, list(publics or []))

    factors = {factor.kind: factor.kg_per_year for factor in emission_factors()}
    by_kind = []
    for kind in DeviceKind:
        figures = counts.get(kind.value, {})
        line = KindLine(
            kind=kind.value,
            label=str(kind.label),
            available=available.get(kind.value, 0),
            factor=factors[kind.value],
            **figures,
        )
        if any(
            (
                line.received,
                line.refurbished,
                line.available,
                line.sold,
                line.recycled,
                line.spare_parts,
            )
        ):
            by_kind.append(line)
    return DonorReport(
        donor=donor,
        start=start,
        end=end,
        by_kind=by_kind,
        people_equipped=len(people),
        by_profile=_by_profile(profile for profile, _publics in people.values()),
        by_public=_by_public(publics for _profile, publics in people.values()),
    )


def _is_small(count: int) -> bool:
    return 0 < count < SMALL_COUNT_THRESHOLD


def _by_profile(profiles: Iterable[str]) -> list[PeopleCell]:
    """Each person has one profile (or none yet): the cells add up to the total, so when a
    single cell is hidden the next smallest one is hidden too, or it could be worked out."""
    tally: dict[str, int] = {}
    for profile in profiles:
        tally[profile] = tally.get(profile, 0) + 1
    categories: list[tuple[str, Any]] = [*Profile.choices, (NOT_GIVEN, _("Profil non renseigné"))]
    counts = {code: tally.get(code, 0) for code, _label in categories}
    masked = {code for code, n in counts.items() if _is_small(n)}
    if len(masked) == 1:
        others = sorted((n, code) for code, n in counts.items() if n > 0 and code not in masked)
        if others:
            masked.add(others[0][1])
    return [
        PeopleCell(code=code, label=str(label), count=counts[code], is_masked=code in masked)
        for code, label in categories
    ]


def _by_public(publics_lists: Iterable[list[str]]) -> list[PeopleCell]:
    """A person may belong to several publics: each cell counts people, not devices."""
    tally: dict[str, int] = {}
    for publics in publics_lists:
        codes = {code for code in publics if code in Public.values} or {NOT_GIVEN}
        for code in codes:
            tally[code] = tally.get(code, 0) + 1
    categories: list[tuple[str, Any]] = [*Public.choices, (NOT_GIVEN, _("Public non renseigné"))]
    return [
        PeopleCell(
            code=code,
            label=str(label),
            count=tally.get(code, 0),
            is_masked=_is_small(tally.get(code, 0)),
        )
        for code, label in categories
    ]
