"""Scoped reads of offers, codes, relays; what the person's file shows.

A code outside the caller's scope answers 404, like a missing one.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, scope_of
from solidarnum.network.models import PartnerStructure, ReceptionPoint

from .enums import CodeStatus
from .models import Code, CodeEvent, Offer, OfferPrice, RelaySale

SITE_ROLES = (Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER)

# --- Offers --------------------------------------------------------------------------------------


def offers(*, include_withdrawn: bool = False) -> QuerySet[Offer]:
    qs = Offer.objects.all()
    return qs if include_withdrawn else qs.filter(is_withdrawn=False)


def get_offer_or_404(pk: int) -> Offer:
    return get_object_or_404(Offer, pk=pk)


def price_on(offer_id: int, day: date) -> OfferPrice | None:
    """The price of an offer in force on `day` (one query)."""
    return (
        OfferPrice.objects.filter(offer_id=offer_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def prices_in_force(day: date) -> dict[int, OfferPrice]:
    """Each offer's price in force on `day`, by offer id (one query)."""
    found: dict[int, OfferPrice] = {}
    for price in OfferPrice.objects.filter(valid_from__lte=day).order_by("offer_id", "-valid_from"):
        found.setdefault(price.offer_id, price)
    return found


def price_history(offer_id: int) -> QuerySet[OfferPrice]:
    return OfferPrice.objects.filter(offer_id=offer_id).select_related("created_by")


# --- Codes ---------------------------------------------------------------------------------------


def codes_for(scope: Scope) -> QuerySet[Code]:
    qs = Code.objects.select_related("offer")
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.RELAY_OPERATOR:
        return qs.filter(relay_id=scope.partner_structure_id)
    return qs.none()


def get_code_or_404(request: HttpRequest, pk: int) -> Code:
    return get_object_or_404(codes_for(scope_of(request)), pk=pk)


def code_history(code_id: int) -> QuerySet[CodeEvent]:
    return CodeEvent.objects.filter(code_id=code_id).select_related(
        "actor", "reception_point", "relay"
    )


def codes_of_beneficiary(beneficiary_id: int) -> QuerySet[Code]:
    """The cards and codes a person obtained, latest first (one query; never a secret)."""
    return (
        Code.objects.filter(beneficiary_id=beneficiary_id)
        .select_related("offer")
        .defer("secret_token")
        .order_by("-status_changed_at", "-pk")
    )


# --- Places and relays ---------------------------------------------------------------------------


def places_for(scope: Scope) -> QuerySet[ReceptionPoint]:
    qs = ReceptionPoint.objects.active()
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES:
        return qs.filter(pk=scope.reception_point_id)  # type: ignore[misc]
    return qs.none()


def get_place_or_404(request: HttpRequest, pk: int) -> ReceptionPoint:
    return get_object_or_404(places_for(scope_of(request)), pk=pk)


def other_places(place_id: int) -> QuerySet[ReceptionPoint]:
    return ReceptionPoint.objects.active().exclude(pk=place_id)


def relays_for(scope: Scope) -> QuerySet[PartnerStructure]:
    qs = PartnerStructure.objects.filter(is_relay=True).select_related("reception_point")
    if scope.is_national_admin:
        return qs
    if scope.role in SITE_ROLES:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.role == Role.RELAY_OPERATOR:
        return qs.filter(pk=scope.partner_structure_id)  # type: ignore[misc]
    return qs.none()


def get_relay_or_404(request: HttpRequest, pk: int) -> PartnerStructure:
    return get_object_or_404(relays_for(scope_of(request)), pk=pk)


def sales_of_relay(relay_id: int) -> QuerySet[RelaySale]:
    """A relay's own sales, with the buyers' first names: for its operator only (ADR 0029)."""
    return RelaySale.objects.filter(relay_id=relay_id).select_related("offer")


def consigned_by_offer(relay_id: int) -> list[tuple[Offer, int]]:
    """How many codes of each offer the relay holds now (one query)."""
    rows = (
        Code.objects.filter(relay_id=relay_id, status=CodeStatus.CONSIGNED)
        .values("offer")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["offer"]: row["n"] for row in rows}
    offers_by_id = Offer.objects.in_bulk(list(counts))
    return sorted(
        ((offers_by_id[pk], n) for pk, n in counts.items()), key=lambda item: item[0].name
    )


def offers_with_ids(ids: list[int], *, on_sale_only: bool = False) -> QuerySet[Offer]:
    qs = Offer.objects.filter(pk__in=ids)
    return qs.filter(is_withdrawn=False) if on_sale_only else qs
