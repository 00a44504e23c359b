"""Staff screens for the network: reception points, partner structures, donors, refurbishers."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, access, roles
from solidarnum.accounts.enums import SITE_ROLES, STRUCTURE_ROLES, Role
from solidarnum.accounts.permissions import can_edit_reception_point, can_manage_network
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.autocomplete import suggestions
from solidarnum.common.lists import LazyPaginator

from . import filters, forms, partner_page, selectors, tables
from .models import DonorCompany, PartnerStructure, ReceptionPoint, RefurbishingPartner
from .services import save_network_object

ADMIN_ONLY = roles(Role.NATIONAL_ADMIN)
ADMIN_AND_SITES = roles(Role.NATIONAL_ADMIN, *SITE_ROLES)
# Volunteers see their site, not its partner network.
ADMIN_SITE_TEAM = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF)
ADMIN_TEAM_STRUCTURES = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF, *STRUCTURE_ROLES)


class NetworkListView(AccessRuleMixin, SingleTableMixin, FilterView):
    """A filtered, paginated list. Pages are counted lazily: no COUNT over the table."""

    template_name = "network/object_list.html"
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}
    title: Any = ""
    create_url_name = ""

    def selector(self, scope: Scope) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.selector(scope_of(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.create_url_name and can_manage_network(scope_of(self.request)):
            context["create_url"] = reverse(self.create_url_name)
        return context


class ReceptionPointList(NetworkListView):
    access_rule = ADMIN_ONLY
    table_class = tables.ReceptionPointTable
    filterset_class = filters.ReceptionPointFilter
    title = gettext_lazy("Points d'accueil")
    create_url_name = "network:reception_point_create"

    def selector(self, scope: Scope) -> QuerySet[ReceptionPoint]:
        return selectors.reception_points_for(scope)


class PartnerStructureList(NetworkListView):
    access_rule = ADMIN_SITE_TEAM
    table_class = tables.PartnerStructureTable
    filterset_class = filters.PartnerStructureFilter
    title = gettext_lazy("Structures partenaires")
    create_url_name = "network:partner_create"

    def selector(self, scope: Scope) -> QuerySet[PartnerStructure]:
        return selectors.partner_structures_for(scope)


class DonorCompanyList(NetworkListView):
    access_rule = ADMIN_ONLY
    table_class = tables.DonorCompanyTable
    filterset_class = filters.DonorCompanyFilter
    title = gettext_lazy("Entreprises donatrices")
    create_url_name = "network:donor_create"

    def selector(self, scope: Scope) -> QuerySet[DonorCompany]:
        return selectors.donors_for(scope)


class RefurbishingPartnerList(NetworkListView):
    access_rule = ADMIN_ONLY
    table_class = tables.RefurbishingPartnerTable
    filterset_class = filters.RefurbishingPartnerFilter
    title = gettext_lazy("Reconditionneurs partenaires")
    create_url_name = "network:refurbisher_create"

    def selector(self, scope: Scope) -> QuerySet[RefurbishingPartner]:
        return selectors.refurbishers_for(scope)


def _edit(
    request: HttpRequest,
    *,
    form_class: type[ModelForm[Any]],
    instance: Model | None,
    title: str,
    cancel_url: str,
    success_url_name: str,
) -> HttpResponse:
    """Shared create/edit flow: validate, save through the audited service, redirect."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            obj = save_network_object(acting_user=acting_user_of(request), form=form)
            messages.success(request, _("Les informations ont été enregistrées."))
            return HttpResponseRedirect(reverse(success_url_name, kwargs={"pk": obj.pk}))
        messages.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))
    return render(
        request,
        "network/object_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


# --- Reception points -------------------------------------------------------------------------


@access(ADMIN_AND_SITES)
def reception_point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.get_reception_point_or_404(request, pk)
    scope = scope_of(request)
    # Volunteers see their site, not its partner network.
    partners = (
        []
        if scope.role == Role.VOLUNTEER
        else selectors.partner_structures_for(scope).filter(reception_point=place)[:50]
    )
    return render(
        request,
        "network/reception_point_detail.html",
        {
            "place": place,
            "partners": partners,
            "can_edit": can_edit_reception_point(scope_of(request), place.pk),
        },
    )


@access(ADMIN_ONLY)
def reception_point_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=forms.ReceptionPointForm,
        instance=None,
        title=_("Nouveau point d'accueil"),
        cancel_url=reverse("network:reception_point_list"),
        success_url_name="network:reception_point_detail",
    )


@access(ADMIN_AND_SITES)
def reception_point_update(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped fetch first: another site's place answers 404, whatever the role.
    place = selectors.get_reception_point_or_404(request, pk)
    scope = scope_of(request)
    if not can_edit_reception_point(scope, place.pk):
        raise PermissionDenied
    form_class = (
        forms.ReceptionPointForm if scope.is_national_admin else forms.SiteManagerReceptionPointForm
    )
    return _edit(
        request,
        form_class=form_class,
        instance=place,
        title=_("Modifier « %(name)s »") % {"name": place.name},
        cancel_url=reverse("network:reception_point_detail", kwargs={"pk": place.pk}),
        success_url_name="network:reception_point_detail",
    )


# --- Partner structures -----------------------------------------------------------------------


@access(ADMIN_TEAM_STRUCTURES)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    structure = selectors.get_partner_structure_or_404(request, pk)
    scope = scope_of(request)
    return render(
        request,
        "network/partner_detail.html",
        {
            "structure": structure,
            "can_edit": can_manage_network(scope),
            "sections": partner_page.sections_of(structure, scope),
        },
    )


@access(ADMIN_ONLY)
def partner_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=forms.PartnerStructureForm,
        instance=None,
        title=_("Nouvelle structure partenaire"),
        cancel_url=reverse("network:partner_list"),
        success_url_name="network:partner_detail",
    )


@access(ADMIN_ONLY)
def partner_update(request: HttpRequest, pk: int) -> HttpResponse:
    structure = selectors.get_partner_structure_or_404(request, pk)
    return _edit(
        request,
        form_class=forms.PartnerStructureForm,
        instance=structure,
        title=_("Modifier « %(name)s »") % {"name": structure.name},
        cancel_url=reverse("network:partner_detail", kwargs={"pk": structure.pk}),
        success_url_name="network:partner_detail",
    )


# --- Donors and refurbishers ------------------------------------------------------------------


def _company_detail(request: HttpRequest, company: Model, kind: str) -> HttpResponse:
    return render(
        request,
        "network/company_detail.html",
        {
            "company": company,
            "kind": kind,
            "edit_url_name": f"network:{kind}_update",
            "list_url_name": f"network:{kind}_list",
        },
    )


@access(ADMIN_ONLY)
def donor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _company_detail(request, selectors.get_donor_or_404(request, pk), "donor")


@access(ADMIN_ONLY)
def donor_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=forms.DonorCompanyForm,
        instance=None,
        title=_("Nouvelle entreprise donatrice"),
        cancel_url=reverse("network:donor_list"),
        success_url_name="network:donor_detail",
    )


@access(ADMIN_ONLY)
def donor_update(request: HttpRequest, pk: int) -> HttpResponse:
    donor = selectors.get_donor_or_404(request, pk)
    return _edit(
        request,
        form_class=forms.DonorCompanyForm,
        instance=donor,
        title=_("Modifier « %(name)s »") % {"name": donor.name},
        cancel_url=reverse("network:donor_detail", kwargs={"pk": donor.pk}),
        success_url_name="network:donor_detail",
    )


@access(ADMIN_ONLY)
def refurbisher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _company_detail(request, selectors.get_refurbisher_or_404(request, pk), "refurbisher")


@access(ADMIN_ONLY)
def refurbisher_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=forms.RefurbishingPartnerForm,
        instance=None,
        title=_("Nouveau reconditionneur partenaire"),
        cancel_url=reverse("network:refurbisher_list"),
        success_url_name="network:refurbisher_detail",
    )


@access(ADMIN_ONLY)
def refurbisher_update(request: HttpRequest, pk: int) -> HttpResponse:
    refurbisher = selectors.get_refurbisher_or_404(request, pk)
    return _edit(
        request,
        form_class=forms.RefurbishingPartnerForm,
        instance=refurbisher,
        title=_("Modifier « %(name)s »") % {"name": refurbisher.name},
        cancel_url=reverse("network:refurbisher_detail", kwargs={"pk": refurbisher.pk}),
        success_url_name="network:refurbisher_detail",
    )


# --- Suggestions for autocomplete fields (ADR 0024) ---------------------------------------------

# Who chooses a reception point in a form or a filter: the national team, a site's team (the
# destination of a transfer), a référent (the place of a referral), a workshop (a transfer).
PLACE_CHOOSERS = roles(
    Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF, Role.REFERENT, Role.REFURBISHER_CONTACT
)


@access(PLACE_CHOOSERS)
def reception_point_suggestions(request: HttpRequest) -> HttpResponse:
    """Reception points matching the typed name or commune: every point for the national team,
    the open ones (those of the public directory) for the others."""
    points = selectors.reception_points_to_choose(scope_of(request))
    return suggestions(
        request,
        points.order_by("name", "pk"),
        search_fields=("name", "commune", "postcode"),
        hint=lambda p: f"{p.postcode} {p.commune}",
    )


@access(ADMIN_SITE_TEAM)
def partner_suggestions(request: HttpRequest) -> HttpResponse:
    """Partner structures the caller may see (all of them for the national team)."""
    structures = selectors.partner_structures_for(scope_of(request)).order_by("name", "pk")
    return suggestions(
        request, structures, search_fields=("name", "commune"), hint=lambda s: s.commune
    )


@access(ADMIN_ONLY)
def donor_suggestions(request: HttpRequest) -> HttpResponse:
    donors = selectors.donors_for(scope_of(request)).order_by("name", "pk")
    return suggestions(request, donors, search_fields=("name", "siret"), hint=lambda d: d.commune)
