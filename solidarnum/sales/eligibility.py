"""Who may buy what at the till: every rule in one place (ADR 0034).

The rules, checked in this order, each refusal saying why and what to do, in plain French:

1. **An active file.** A file merged into another, or anonymised, cannot buy: the sale goes on the
   main file; an anonymised person must be referred again.
2. **A current access period.** No sale at the solidarity price without one: an access period
   covering today (its early end counts). Ended: "accès terminé le …, une nouvelle orientation
   est nécessaire"; not started yet: from its first day.
3. **Quotas per offer over rolling 30 days.** An offer's `quota_per_30_days` caps how many of its
   cards or codes a person obtains in the last 30 days (the basket counts too). The refusal gives
   the day the next one becomes possible (the oldest purchase leaving the window).
4. **One device of a kind per access period.** A second laptop in the same access period is
   refused unless the site manager overrides it with a reason (kept on the sale).

Refunded and voided lines do not count: the person does not have the thing.

`decide(facts, wanted)` is pure (tested as a table); `facts_for(beneficiary, today)` reads what
it needs in four queries; the till calls both with the person's row locked, so that two counters
cannot both pass a quota.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.connectivity.models import Offer
from solidarnum.equipment.enums import DeviceKind

from .enums import LineKind
from .models import SaleLine

QUOTA_WINDOW_DAYS = 30


class Rule(StrEnum):
    INACTIVE_FILE = "inactive_file"
    NO_ACCESS = "no_access"
    QUOTA = "quota"
    DEVICE_KIND = "device_kind"


@dataclass(frozen=True)
class Refusal:
    rule: Rule
    message: str
    # The manager may override this refusal with a reason (rule 4 only).
    overridable: bool = False


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date  # the effective end (an early end counts)


@dataclass(frozen=True)
class OfferUse:
    """A person's use of one offer in the rolling window."""

    offer_id: int
    name: str
    quota: int | None
    used: int = 0
    oldest_at: datetime | None = None

    def left(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.used)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about a person, on a day."""

    today: date
    is_merged: bool = False
    is_anonymised: bool = False
    periods: tuple[Period, ...] = ()
    # Per offer id: its name, quota and what the person got in the window.
    offers: dict[int, OfferUse] = field(default_factory=dict)
    # Device kinds obtained during the current access period, with the day of the last one.
    device_kinds: dict[str, date] = field(default_factory=dict)

    @property
    def current_period(self) -> Period | None:
        current = [p for p in self.periods if p.starts_on <= self.today <= p.ends_on]
        return max(current, key=lambda p: p.ends_on) if current else None


@dataclass(frozen=True)
class Wanted:
    """What the basket holds: offer ids (one per card or code) and device kinds."""

    offer_ids: tuple[int, ...] = ()
    device_kinds: tuple[str, ...] = ()


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def decide(facts: Facts, wanted: Wanted) -> list[Refusal]:
    """Every rule the basket breaks, in the order of the module's docstring (empty: allowed).
    An inactive file or a missing access period stops there: nothing else can be sold."""
    if facts.is_merged:
        return [
            Refusal(
                Rule.INACTIVE_FILE,
                _(
                    "Ce dossier a été fusionné avec un autre : ouvrez le dossier principal de la "
                    "personne pour lui vendre."
                ),
            )
        ]
    if facts.is_anonymised:
        return [
            Refusal(
                Rule.INACTIVE_FILE,
                _(
                    "Ce dossier est anonymisé : aucune vente n'est possible. La personne doit être "
                    "orientée à nouveau par une structure partenaire."
                ),
            )
        ]
    if facts.current_period is None:
        return [_no_access(facts)]
    refusals: list[Refusal] = []
    for offer_id, count in sorted(Counter(wanted.offer_ids).items()):
        use = facts.offers.get(offer_id)
        if use is None or use.quota is None or use.used + count <= use.quota:
            continue
        refusals.append(_quota(facts, use, count))
    kinds_in_basket = Counter(wanted.device_kinds)
    for kind, count in sorted(kinds_in_basket.items()):
        label = DeviceKind(kind).label if kind in DeviceKind.values else kind
        if kind in facts.device_kinds:
            refusals.append(
                Refusal(
                    Rule.DEVICE_KIND,
                    _(
                        "Un appareil « %(kind)s » a déjà été obtenu pendant cet accès (le "
                        "%(date)s). Un second demande l'accord du responsable du point "
                        "d'accueil, avec un motif."
                    )
                    % {"kind": label, "date": _day(facts.device_kinds[kind])},
                    overridable=True,
                )
            )
        elif count > 1:
            refusals.append(
                Refusal(
                    Rule.DEVICE_KIND,
                    _(
                        "Le panier contient %(count)s appareils « %(kind)s » : un seul par "
                        "période d'accès, sauf accord du responsable avec un motif."
                    )
                    % {"count": count, "kind": label},
                    overridable=True,
                )
            )
    return refusals


def _no_access(facts: Facts) -> Refusal:
    future = [p for p in facts.periods if p.starts_on > facts.today]
    if future:
        first = min(future, key=lambda p: p.starts_on)
        message = _(
            "L'accès de cette personne commence le %(date)s : la vente au prix solidaire sera "
            "possible à partir de ce jour."
        ) % {"date": _day(first.starts_on)}
    elif facts.periods:
        last = max(facts.periods, key=lambda p: p.ends_on)
        message = _(
            "Accès terminé le %(date)s, une nouvelle orientation est nécessaire : le référent "
            "de la personne peut en faire une."
        ) % {"date": _day(last.ends_on)}
    else:
        message = _(
            "Cette personne n'a pas d'accès en cours : une orientation validée est nécessaire "
            "avant toute vente au prix solidaire."
        )
    return Refusal(Rule.NO_ACCESS, message)


def _quota(facts: Facts, use: OfferUse, count: int) -> Refusal:
    message = ngettext(
        "Quota atteint pour « %(offer)s » : %(quota)s sur 30 jours par personne, %(used)s déjà "
        "obtenu, %(count)s dans le panier.",
        "Quota atteint pour « %(offer)s » : %(quota)s sur 30 jours par personne, %(used)s déjà "
        "obtenus, %(count)s dans le panier.",
        use.used,
    ) % {"offer": use.name, "quota": use.quota, "used": use.used, "count": count}
    if use.oldest_at is not None and use.used:
        next_day = timezone.localtime(use.oldest_at).date() + timedelta(days=QUOTA_WINDOW_DAYS)
        message += " " + _("Prochain achat possible le %(date)s.") % {"date": _day(next_day)}
    return Refusal(Rule.QUOTA, message)


# --- Reading the facts ---------------------------------------------------------------------------


def window_start(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=QUOTA_WINDOW_DAYS)


def kept_lines(beneficiary_id: int) -> QuerySet[SaleLine]:
    """The person's sale lines that still stand (neither refunded nor voided)."""
    return SaleLine.objects.filter(beneficiary_id=beneficiary_id, refund_line__isnull=True)


def facts_for(beneficiary: Beneficiary, today: date | None = None) -> Facts:
    """What `decide` needs about a person (four queries, whatever their history)."""
    today = today or timezone.localdate()
    periods = tuple(Period(p.starts_on, p.effective_end) for p in beneficiary.access_periods.all())
    facts = Facts(
        today=today,
        is_merged=beneficiary.merged_into_id is not None,
        is_anonymised=beneficiary.anonymised_at is not None,
        periods=periods,
    )
    used: dict[int, Any] = {
        row["offer"]: row
        for row in kept_lines(beneficiary.pk)
        .filter(kind=LineKind.CODE, sold_at__gte=window_start())
        .values("offer")
        .annotate(n=Count("id"), oldest=Min("sold_at"))
        .order_by()
    }
    offers = {
        offer.pk: OfferUse(
            offer.pk,
            offer.name,
            offer.quota_per_30_days,
            used.get(offer.pk, {}).get("n", 0),
            used.get(offer.pk, {}).get("oldest"),
        )
        for offer in Offer.objects.only("id", "name", "quota_per_30_days")
    }
    kinds: dict[str, date] = {}
    current = facts.current_period
    if current is not None:
        rows = (
            kept_lines(beneficiary.pk)
            .filter(kind=LineKind.DEVICE, sold_at__date__gte=current.starts_on)
            .values("device_kind")
            .annotate(last=Max("sold_at"))
            .order_by()
        )
        kinds = {row["device_kind"]: timezone.localtime(row["last"]).date() for row in rows}
    return Facts(
        today=facts.today,
        is_merged=facts.is_merged,
        is_anonymised=facts.is_anonymised,
        periods=facts.periods,
        offers=offers,
        device_kinds=kinds,
    )
