"""Home pages, role switching, teams and invitations."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from solidarnum.common.errors import ServiceError
from solidarnum.common.language import use_visitor_language
from solidarnum.network.selectors import network_counts

from . import login_protection, permissions, selectors, services
from .access import AUTHENTICATED, PUBLIC, AccessRuleMixin, access, roles
from .enums import Role
from .filters import MembershipFilter
from .forms import AcceptInvitationForm, InvitationForm
from .scope import SESSION_KEY, acting_user_of, scope_of
from .tables import MembershipTable

INVITERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, lead_referent=True)
TEAM_MANAGERS = roles(Role.SITE_MANAGER, lead_referent=True)


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.is_authenticated:
        use_visitor_language(request)  # the public home page: in the visitor's language
        return render(request, "accounts/home_public.html")
    context: dict[str, Any] = {
        "organisation": scope.membership.organisation if scope.membership else None
    }
    if scope.is_national_admin:
        context["counts"] = network_counts()
        context["pending_invitations"] = selectors.pending_invitation_count()
    return render(request, "accounts/home.html", context)


@require_POST
@access(AUTHENTICATED)
def switch_membership(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    try:
        wanted = int(request.POST.get("membership", ""))
    except ValueError:
        wanted = -1
    membership = next((m for m in scope.memberships if m.pk == wanted), None)
    if membership is None:
        messages.error(request, _("Ce rôle n'est pas disponible pour votre compte."))
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.success(
            request, _("Vous agissez maintenant en tant que : %(m)s") % {"m": membership}
        )
    return redirect("accounts:home")


@access(roles(*[r for r in Role if r != Role.NATIONAL_ADMIN]))
def my_organisation(request: HttpRequest) -> HttpResponse:
    """The current organisation and the colleagues in it."""
    scope = scope_of(request)
    colleagues = (
        selectors.memberships_for(scope).active().order_by("user__last_name", "user__first_name")
    )[:200]
    return render(
        request,
        "accounts/my_organisation.html",
        {
            "organisation": scope.membership.organisation if scope.membership else None,
            "colleagues": colleagues,
        },
    )


@access(TEAM_MANAGERS)
def team(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    members = selectors.memberships_for(scope).order_by(
        "-is_active", "user__last_name", "user__first_name"
    )[:300]
    locked = login_protection.locked_until(m.user.email for m in members)
    rows = [
        (
            m,
            permissions.can_deactivate_membership(scope, m),
            permissions.can_set_device_skill(scope, m),
            locked.get(m.user.email),
            permissions.can_unlock_account(scope, m),
        )
        for m in members
    ]
    invitations = selectors.invitations_for(scope).pending()[:100]
    return render(request, "accounts/team.html", {"rows": rows, "invitations": invitations})


class UserList(AccessRuleMixin, SingleTableMixin, FilterView):
    access_rule = roles(Role.NATIONAL_ADMIN)
    template_name = "accounts/user_list.html"
    table_class = MembershipTable
    filterset_class = MembershipFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.memberships_for(scope_of(self.request))

    def get_table(self, **kwargs: Any) -> Any:
        table = super().get_table(**kwargs)
        rows = [row.record for row in table.page.object_list] if hasattr(table, "page") else []
        locked = login_protection.locked_until(m.user.email for m in rows)
        scope = scope_of(self.request)
        for membership in rows:
            membership.locked_until = locked.get(membership.user.email)
            membership.can_unlock = permissions.can_unlock_account(scope, membership)
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["invitations"] = selectors.invitations_for(scope_of(self.request)).pending()[:50]
        return context


@access(INVITERS)
def invite(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = InvitationForm(
        request.POST or None, scope=scope, allowed_roles=permissions.invitable_roles(scope)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.invite_user(
                    acting_user=acting_user_of(request),
                    scope=scope,
                    email=data["email"],
                    role=Role(data["role"]),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    reception_point_id=getattr(data.get("reception_point"), "pk", None),
                    partner_structure_id=getattr(data.get("partner_structure"), "pk", None),
                    donor_id=getattr(data.get("donor"), "pk", None),
                    refurbisher_id=getattr(data.get("refurbisher"), "pk", None),
                    is_lead=bool(data.get("is_lead")),
                    accept_url_builder=lambda token: request.build_absolute_uri(
                        reverse("accounts:accept_invitation", kwargs={"token": token})
                    ),
                )
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s. Elle est valable %(days)s jours.")
                    % {"email": data["email"], "days": _invitation_days()},
                )
                return redirect(
                    "accounts:user_list" if scope.is_national_admin else "accounts:team"
                )
        else:
            messages.error(request, _("Le formulaire contient des erreurs : rien n'a été envoyé."))
    return render(
        request, "accounts/invite.html", {"form": form}, status=400 if form.errors else 200
    )


def _invitation_days() -> int:
    from django.conf import settings

    return int(settings.INVITATION_VALIDITY_DAYS)


@access(PUBLIC)
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation_by_token_or_404(token)
    if not invitation.is_usable:
        return render(request, "accounts/invitation_unusable.html", status=410)
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, acting_user=user)
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Ce nouveau rôle est ajouté à votre compte."))
                return redirect("accounts:home")
        return render(
            request, "accounts/accept_invitation.html", {"invitation": invitation, "form": None}
        )
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.accept_invitation(
                invitation=invitation,
                acting_user=None,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Bienvenue ! Votre compte est créé."))
            return redirect("accounts:home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@access(INVITERS)
def deactivate_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_membership_or_404(request, pk)
    try:
        services.deactivate_membership(
            acting_user=acting_user_of(request), scope=scope_of(request), membership=membership
        )
    except ServiceError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request, _("Le rattachement de %(name)s est désactivé.") % {"name": membership.user}
    )
    return redirect(
        "accounts:user_list" if scope_of(request).is_national_admin else "accounts:team"
    )


@require_POST
@access(roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER))
def set_device_skill(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.get_membership_or_404(request, pk)
    value = request.POST.get("value") == "1"
    try:
        services.set_device_skill(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            membership=membership,
            value=value,
        )
    except ServiceError as error:
        raise PermissionDenied(str(error)) from error
    if value:
        message = _("%(name)s peut maintenant contrôler les appareils.")
    else:
        message = _("%(name)s ne contrôle plus les appareils.")
    messages.success(request, message % {"name": membership.user})
    return redirect(
        "accounts:user_list" if scope_of(request).is_national_admin else "accounts:team"
    )


@require_POST
@access(roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER))
def unlock_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the lock put on a person's account after repeated failed logins."""
    scope = scope_of(request)
    membership = selectors.get_membership_or_404(request, pk)
    if not permissions.can_unlock_account(scope, membership):
        raise PermissionDenied
    try:
        services.unlock_account(
            acting_user=acting_user_of(request), scope=scope, membership=membership
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Le compte de %(name)s est débloqué : la personne peut de nouveau se connecter.")
            % {"name": membership.user},
        )
    return redirect("accounts:user_list" if scope.is_national_admin else "accounts:team")


@require_POST
@access(INVITERS)
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitations_for(scope_of(request)).pending().filter(pk=pk).first()
    if invitation is None:
        raise Http404
    services.revoke_invitation(
        acting_user=acting_user_of(request), scope=scope_of(request), invitation=invitation
    )
    messages.success(request, _("L'invitation est annulée."))
    return redirect(
        "accounts:user_list" if scope_of(request).is_national_admin else "accounts:team"
    )


@access(AUTHENTICATED)
def account(request: HttpRequest) -> HttpResponse:
    has_totp = selectors.has_totp(acting_user_of(request))
    return render(request, "accounts/account.html", {"has_totp": has_totp})
