"""Scoped reads of the network. Views fetch through these, never through `Model.objects`."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from solidarnum.accounts.scope import Scope, scope_of

from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner


def reception_points_for(scope: Scope) -> QuerySet[ReceptionPoint]:
    qs = ReceptionPoint.objects.all()
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        return qs.filter(pk=scope.reception_point_id)  # type: ignore[misc]
    return qs.none()


def reception_points_to_choose(scope: Scope) -> QuerySet[ReceptionPoint]:
    """The places a form or a filter offers (autocomplete suggestions): every one for the
    national team, the open ones (those of the public directory) for everyone else."""
    if scope.is_national_admin:
        return ReceptionPoint.objects.all()
    return ReceptionPoint.objects.active()


def partner_structures_for(scope: Scope) -> QuerySet[PartnerStructure]:
    qs = PartnerStructure.objects.select_related("reception_point")
    if scope.is_national_admin:
        return qs
    if scope.is_site_member:
        return qs.filter(reception_point_id=scope.reception_point_id)
    if scope.is_structure_member:
        return qs.filter(pk=scope.partner_structure_id)  # type: ignore[misc]
    return qs.none()


def donors_for(scope: Scope) -> QuerySet[DonorCompany]:
    qs = DonorCompany.objects.all()
    if scope.is_national_admin:
        return qs
    if scope.is_donor_contact:
        return qs.filter(pk=scope.donor_id)  # type: ignore[misc]
    return qs.none()


def refurbishers_for(scope: Scope) -> QuerySet[RefurbishingPartner]:
    qs = RefurbishingPartner.objects.all()
    if scope.is_national_admin:
        return qs
    if scope.is_refurbisher_contact:
        return qs.filter(pk=scope.refurbisher_id)  # type: ignore[misc]
    return qs.none()


def get_reception_point_or_404(request: HttpRequest, pk: int) -> ReceptionPoint:
    return get_object_or_404(reception_points_for(scope_of(request)), pk=pk)


def get_partner_structure_or_404(request: HttpRequest, pk: int) -> PartnerStructure:
    return get_object_or_404(partner_structures_for(scope_of(request)), pk=pk)


def get_donor_or_404(request: HttpRequest, pk: int) -> DonorCompany:
    return get_object_or_404(donors_for(scope_of(request)), pk=pk)


def get_refurbisher_or_404(request: HttpRequest, pk: int) -> RefurbishingPartner:
    return get_object_or_404(refurbishers_for(scope_of(request)), pk=pk)


def public_places() -> tuple[QuerySet[ReceptionPoint], QuerySet[PartnerStructure]]:
    """What the public directory and the open-data export show: active places only."""
    return (
        ReceptionPoint.objects.active().order_by("name"),
        PartnerStructure.objects.active()
        .relays()
        .select_related("reception_point")
        .order_by("name"),
    )


def network_counts() -> dict[str, int]:
    """The national team's home page: active places, partners and relays."""
    return {
        "reception_points": ReceptionPoint.objects.active().count(),
        "partners": PartnerStructure.objects.active().count(),
        "relays": PartnerStructure.objects.active().relays().count(),
    }
