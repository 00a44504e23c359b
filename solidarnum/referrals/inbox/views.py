"""The reception point's inbox of referrals: list, detail, and the three decisions.

Views stay thin: the referral comes from the scoped selector (another site's answers 404), every
change goes through `services`, and a refused transition is shown as a French message.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries.labels import language_names, public_labels
from solidarnum.beneficiaries.models import Beneficiary
from solidarnum.beneficiaries.selectors import beneficiaries_for
from solidarnum.beneficiaries.services import possible_duplicates
from solidarnum.common.autocomplete import suggestions
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.masking import mask
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.referrals import services
from solidarnum.referrals.enums import PENDING_STATUSES, ReferralStatus
from solidarnum.referrals.models import Referral
from solidarnum.referrals.selectors import get_referral_or_404, needs_with_details, referrals_for

from .filters import ReferralInboxFilter, structures_for_inbox
from .forms import NEW_FILE, RefuseReferralForm, ValidateReferralForm
from .tables import ReferralInboxTable, age_in_days

SITE_TEAM = roles(Role.SITE_MANAGER, Role.STAFF)


class ReferralInbox(AccessRuleMixin, SingleTableMixin, FilterView):
    """The site's referrals, pending ones first. Pages are counted lazily: no COUNT(*)."""

    access_rule = SITE_TEAM
    template_name = "referrals/inbox/list.html"
    table_class = ReferralInboxTable
    filterset_class = ReferralInboxFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> QuerySet[Referral]:
        return referrals_for(scope_of(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Orientations reçues")
        context["reminder_days"] = settings.REFERRAL_REMINDER_DAYS
        return context


referral_inbox = ReferralInbox.as_view()


@access(SITE_TEAM)
def inbox_structure_suggestions(request: HttpRequest) -> HttpResponse:
    """The structures of the inbox's filter that match what was typed (at most 20)."""
    structures = structures_for_inbox(request).order_by("name", "pk")
    # The name alone is the label (the commune is the hint beside it, not repeated in it).
    return suggestions(request, structures, label=lambda s: s.name, hint=lambda s: s.commune)


def beneficiary_url(beneficiary: Beneficiary | None) -> str | None:
    """The person's file (None while the referral has none)."""
    if beneficiary is None:
        return None
    return reverse("beneficiaries:beneficiary_detail", kwargs={"public_id": beneficiary.public_id})


def _form_errors(request: HttpRequest) -> None:
    messages.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", kwargs={"reference": referral.reference})


def _render_detail(request: HttpRequest, referral: Referral, *, status: int = 200) -> HttpResponse:
    context = {
        "referral": referral,
        "needs": needs_with_details(referral),
        "languages": language_names(referral.languages),
        "publics": public_labels(referral.publics),
        "age": age_in_days(referral.created_at),
        "reminder_days": settings.REFERRAL_REMINDER_DAYS,
        "is_pending": referral.status in PENDING_STATUSES,
        "can_start_review": referral.status == ReferralStatus.OPEN,
        "beneficiary_url": beneficiary_url(referral.beneficiary),
        "can_send_voucher": referral.status in services.VOUCHER_STATUSES
        and (bool(referral.phone) or bool(referral.email)),
    }
    return render(request, "referrals/inbox/detail.html", context, status=status)


@access(SITE_TEAM)
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_referral_or_404(request, reference)
    # Who looked at a person's referral is kept, as for the person's file.
    record(actor=request.user, action=AuditAction.VIEW, obj=referral)
    return _render_detail(request, referral)


@access(SITE_TEAM)
@require_POST
def referral_start_review(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_referral_or_404(request, reference)
    try:
        services.start_review(acting_user=acting_user_of(request), referral=referral)
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_detail(request, get_referral_or_404(request, reference), status=400)
    messages.success(request, _("Le bon d'orientation est passé « à l'étude »."))
    return HttpResponseRedirect(_detail_url(referral))


@access(SITE_TEAM)
@require_http_methods(["GET", "POST"])
def referral_validate(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_referral_or_404(request, reference)
    form = ValidateReferralForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            public_id = form.cleaned_data["target"]
            existing = None
            if public_id is not None:
                # Scoped: another site's file answers 404, like a missing one.
                existing = get_object_or_404(
                    beneficiaries_for(scope_of(request)).current(), public_id=public_id
                )
            try:
                referral = services.validate_referral(
                    acting_user=acting_user_of(request), referral=referral, existing=existing
                )
            except ServiceError as error:
                messages.error(request, str(error))
                referral = get_referral_or_404(request, reference)
            else:
                messages.success(
                    request,
                    _("Orientation validée : le dossier de %(name)s est ouvert.")
                    % {"name": referral.full_name},
                )
                url = beneficiary_url(referral.beneficiary) or _detail_url(referral)
                return HttpResponseRedirect(url)
        else:
            messages.error(
                request, _("Le formulaire contient des erreurs : rien n'a été enregistré.")
            )
    is_pending = referral.status in PENDING_STATUSES
    duplicates = (
        list(
            possible_duplicates(
                reception_point_id=referral.reception_point_id,
                search_name=referral.search_name,
                birth_year=referral.birth_year,
                phone=referral.phone,
            )
        )
        if is_pending
        else []
    )
    chosen = request.POST.get("target") if request.method == "POST" else None
    if chosen is None and not duplicates:
        chosen = NEW_FILE
    context = {
        "referral": referral,
        "form": form,
        "is_pending": is_pending,
        "duplicates": duplicates,
        "new_file": NEW_FILE,
        "chosen": chosen,
    }
    return render(request, "referrals/inbox/validate.html", context, status=status)


@access(SITE_TEAM)
@require_http_methods(["GET", "POST"])
def referral_refuse(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_referral_or_404(request, reference)
    form = RefuseReferralForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.refuse_referral(
                    acting_user=acting_user_of(request),
                    referral=referral,
                    reason=form.cleaned_data["reason"],
                    comment=form.cleaned_data["comment"],
                )
            except ServiceError as error:
                messages.error(request, str(error))
                referral = get_referral_or_404(request, reference)
            else:
                messages.success(
                    request, _("Orientation refusée : le référent en est informé par e-mail.")
                )
                return HttpResponseRedirect(_detail_url(referral))
        else:
            messages.error(
                request, _("Le formulaire contient des erreurs : rien n'a été enregistré.")
            )
    context = {
        "referral": referral,
        "form": form,
        "is_pending": referral.status in PENDING_STATUSES,
    }
    return render(request, "referrals/inbox/refuse.html", context, status=status)


@access(SITE_TEAM)
@require_POST
def referral_send_voucher(request: HttpRequest, reference: str) -> HttpResponse:
    """The voucher to the person by SMS (or e-mail): logged, then sent after commit."""
    referral = get_referral_or_404(request, reference)
    try:
        message = services.send_voucher_to_person(
            acting_user=acting_user_of(request), referral=referral
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _render_detail(request, get_referral_or_404(request, reference), status=400)
    to = mask(message.recipient)
    if message.channel == Channel.SMS:
        messages.success(request, _("Le bon part par SMS au %(to)s.") % {"to": to})
    else:
        messages.success(request, _("Le bon part par e-mail à %(to)s.") % {"to": to})
    return HttpResponseRedirect(_detail_url(referral))
