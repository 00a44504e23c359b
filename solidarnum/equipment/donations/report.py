"""The donor report: what became of a donor company's devices over a period, never a person.

Counts come from the device history (`DeviceEvent`), so a period shows what happened in it even
when the devices have moved on since. Three aggregate queries whatever the size of the donation:

1. the events of the period, counted per device kind (received, refurbished, sold, recycled,
   spare parts, given in packs maraude), distinct devices;
2. the devices available today, per kind;
3. for the devices sold in the period, the buyer's id, profile and publics (never a name):
   people are counted in Python, each person once.

Breakdowns of people (by profile, by public) never let a count of 1 or 2 people be read or
worked out by subtraction from the totals: small cells show « moins de 3 » (zeros too, in such a
table), and complementary cells « masqué » when the totals would still give one away
(`_protect`, ADR 0020). The rules and the reuse-impact method: docs/reuse-impact.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
    "given": Status.GIVEN,
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
    given: int = 0  # in a pack maraude, to a partner structure (no person's file)
    factor: Decimal = Decimal("0")

    @property
    def avoided_kg(self) -> Decimal:
        # A phone given in a pack is reused as much as one sold.
        return self.factor * (self.sold + self.given)


# How a people cell is shown: its number, « moins de 3 » (0, 1 or 2), or « masqué » (3 or more).
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"


@dataclass(frozen=True)
class PeopleCell:
    """People counted in one category, and how the cell is shown (`shown_as`)."""

    code: str
    label: str
    count: int
    shown_as: str = SHOWN

    @property
    def is_masked(self) -> bool:
        return self.shown_as != SHOWN

    @property
    def is_small(self) -> bool:
        return self.shown_as == SMALL


@dataclass(frozen=True)
class PeopleBreakdown:
    """One table of people. `is_withheld`: not published at all, since even with every cell
    hidden its total would give them away (a handful of people, all in small cells)."""

    cells: list[PeopleCell]
    is_withheld: bool = False

    def __iter__(self) -> Iterator[PeopleCell]:
        return iter(self.cells)


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
    by_profile: PeopleBreakdown
    by_public: PeopleBreakdown

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
    def given(self) -> int:
        return sum(line.given for line in self.by_kind)

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
                line.given,
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


def _by_profile(profiles: Iterable[str]) -> PeopleBreakdown:
    """Each person has one profile (or none yet): the cells add up to the total."""
    tally: dict[str, int] = {}
    for profile in profiles:
        tally[profile] = tally.get(profile, 0) + 1
    categories: list[tuple[str, Any]] = [*Profile.choices, (NOT_GIVEN, _("Profil non renseigné"))]
    return _breakdown(categories, tally, total=sum(tally.values()), covering=False)


def _by_public(publics_lists: Iterable[list[str]]) -> PeopleBreakdown:
    """A person may belong to several publics: each cell counts people, not devices, and a
    person with no public is counted in "Public non renseigné"."""
    tally: dict[str, int] = {}
    total = 0
    for publics in publics_lists:
        total += 1
        codes = {code for code in publics if code in Public.values} or {NOT_GIVEN}
        for code in codes:
            tally[code] = tally.get(code, 0) + 1
    categories: list[tuple[str, Any]] = [*Public.choices, (NOT_GIVEN, _("Public non renseigné"))]
    return _breakdown(categories, tally, total=total, covering=True)


def _breakdown(
    categories: list[tuple[str, Any]], tally: dict[str, int], *, total: int, covering: bool
) -> PeopleBreakdown:
    counts = {code: tally.get(code, 0) for code, _label in categories}
    shown_as, withheld = _protect(counts, total, covering=covering)
    return PeopleBreakdown(
        cells=[
            PeopleCell(code=code, label=str(label), count=counts[code], shown_as=shown_as[code])
            for code, label in categories
        ],
        is_withheld=withheld,
    )


# --- Small-count protection (ADR 0020) -----------------------------------------------------------
# What a reader knows of a cell: its number; « moins de 3 »: 0, 1 or 2; « masqué »: 3 or more,
# at most the total. And how a table holds together: profiles add up to the total ("partition");
# publics cover it ("covering": each person in one row at least, "Public non renseigné" being
# the people in no other row, so that no row counts more than the people with a public). A
# hidden cell is safe when these facts leave it more than one possible value. Bounds are
# computed exactly: interval sums for a partition; for a covering table, for each possible
# number of people with a public (at most the total, a few thousand: linear work).


def _protect(counts: dict[str, int], total: int, *, covering: bool) -> tuple[dict[str, str], bool]:
    """How to show each cell, and whether the table must be withheld.

    1. A table with a cell of 1 or 2 shows every cell under 3 as « moins de 3 », zeros
       included: the words then tell 0, 1 or 2, so a zero printed elsewhere gives no hint.
    2. While some hidden cell can still be worked out from the total, the smallest cell still
       shown is hidden too (« masqué »).
    3. If every cell is hidden and one can still be worked out, the table is withheld.
    """
    shown_as = dict.fromkeys(counts, SHOWN)
    if not any(_is_small(n) for n in counts.values()):
        return shown_as, False
    for code, n in counts.items():
        if n < SMALL_COUNT_THRESHOLD:
            shown_as[code] = SMALL
    while _gives_a_cell_away(counts, shown_as, total, covering=covering):
        still_shown = [(n, code) for code, n in counts.items() if shown_as[code] == SHOWN]
        if not still_shown:
            return shown_as, True
        shown_as[min(still_shown)[1]] = HIDDEN
    return shown_as, False


def _what_reader_knows(
    counts: dict[str, int], shown_as: dict[str, str], total: int
) -> dict[str, range]:
    """What the reader knows of each cell on its own."""
    known = {}
    for code, n in counts.items():
        if shown_as[code] == SHOWN:
            known[code] = range(n, n + 1)
        elif shown_as[code] == SMALL:
            known[code] = range(SMALL_COUNT_THRESHOLD)
        else:
            known[code] = range(SMALL_COUNT_THRESHOLD, max(total, SMALL_COUNT_THRESHOLD) + 1)
    return known


def _gives_a_cell_away(
    counts: dict[str, int], shown_as: dict[str, str], total: int, *, covering: bool
) -> bool:
    known = _what_reader_knows(counts, shown_as, total)
    ranges = _covering_ranges(known, total) if covering else _partition_ranges(known, total)
    return any(shown_as[code] != SHOWN and low == high for code, (low, high) in ranges.items())


def _partition_ranges(known: dict[str, range], total: int) -> dict[str, tuple[int, int]]:
    """Smallest and largest value of each cell when the cells add up to `total`."""
    lows = sum(r.start for r in known.values())
    highs = sum(r.stop - 1 for r in known.values())
    return {
        code: (
            max(r.start, total - (highs - (r.stop - 1))),
            min(r.stop - 1, total - (lows - r.start)),
        )
        for code, r in known.items()
    }


def _covering_ranges(known: dict[str, range], total: int) -> dict[str, tuple[int, int]]:
    """Smallest and largest value of each cell of a covering table (see above), over every
    possible number of people with a public."""
    others = [code for code in known if code != NOT_GIVEN]
    found: dict[str, tuple[int, int]] = {}

    def widen(code: str, low: int, high: int) -> None:
        old = found.get(code)
        found[code] = (low, high) if old is None else (min(old[0], low), max(old[1], high))

    for with_public in range(total + 1):
        if (total - with_public) not in known[NOT_GIVEN]:
            continue
        caps = {code: min(known[code].stop - 1, with_public) for code in others}
        if any(known[code].start > caps[code] for code in others) or sum(caps.values()) < (
            with_public
        ):
            continue  # no reading of the table fits this number
        widen(NOT_GIVEN, total - with_public, total - with_public)
        room = sum(caps.values())
        for code in others:
            widen(code, max(known[code].start, with_public - (room - caps[code])), caps[code])
    return found
