"""The référent's side of referrals: write a bon, print it, follow what happened.

A référent sees their structure's referrals only (`referrals_for`), and of the person's path only
the milestones: never staff notes, never what the reception point wrote.
"""

from math import ceil
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_tables2 import LazyPaginator

from solidarnum.accounts.access import PUBLIC, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries.labels import language_names, public_labels
from solidarnum.beneficiaries.timeline import milestones_of
from solidarnum.common.language import html_lang, person_facing
from solidarnum.common.text import normalize_name
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.referrals import services
from solidarnum.referrals.digest import digest_is_active, set_digest_subscription
from solidarnum.referrals.models import REFERENCE_ALPHABET, Referral
from solidarnum.referrals.selectors import (
    get_referral_or_404,
    needs_with_details,
    referrals_for,
    with_access_end,
)
from solidarnum.referrals.voucher import render_voucher, voucher_language

from .forms import (
    DigestSettingsForm,
    ReferralFilterForm,
    ReferralForm,
)

REFERENT_ONLY = roles(Role.REFERENT)
PER_PAGE = 25


@access(REFERENT_ONLY)
def referral_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    structure = scope.membership.partner_structure if scope.membership else None
    usual_point_id = structure.reception_point_id if structure else None
    form = ReferralForm(request.POST or None, usual_reception_point_id=usual_point_id)
    if request.method == "POST":
        if form.is_valid() and structure is not None:
            referral: Referral = form.save(commit=False)
            referral.partner_structure = structure
            referral.consent_given_at = timezone.now()
            referral = services.create_referral(
                acting_user=acting_user_of(request), referral=referral
            )
            messages.success(
                request,
                _(
                    "Le bon d'orientation %(ref)s est enregistré. Imprimez-le ou envoyez-le "
                    "à la personne : elle le présentera à l'accueil."
                )
                % {"ref": referral.reference},
            )
            return HttpResponseRedirect(
                reverse(
                    "referrals:referent_referral_detail", kwargs={"reference": referral.reference}
                )
            )
        messages.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))
    return render(
        request,
        "referrals/referent/referral_form.html",
        {"form": form, "structure": structure},
        status=400 if form.errors else 200,
    )


def _search(queryset: Any, text: str) -> Any:
    """A reference code matches exactly; otherwise the normalised name contains the text."""
    text = text.strip()
    if not text:
        return queryset
    condition = Q(search_name__contains=normalize_name(text))
    code = text.upper()
    if set(code) <= set(REFERENCE_ALPHABET):
        condition |= Q(reference=code)
    return queryset.filter(condition)


# The list's column names: its headers, and the label of each cell on a phone.
REFERRAL_LIST_LABELS = {
    "reference": gettext_lazy("Code"),
    "person": gettext_lazy("Personne"),
    "reception_point": gettext_lazy("Point d'accueil"),
    "status": gettext_lazy("Statut"),
    "milestones": gettext_lazy("Étapes franchies"),
    "created_at": gettext_lazy("Date"),
}


@access(REFERENT_ONLY)
def referent_referral_list(request: HttpRequest) -> HttpResponse:
    filters = ReferralFilterForm(request.GET or None)
    referrals = with_access_end(referrals_for(scope_of(request))).order_by("-created_at", "-id")
    if filters.is_valid():
        referrals = _search(referrals, filters.cleaned_data["q"])
        if filters.cleaned_data["status"]:
            referrals = referrals.filter(status=filters.cleaned_data["status"])
    # No COUNT over the table: the paginator only looks one row ahead.
    paginator = LazyPaginator(referrals, PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    rows = list(page.object_list)
    milestones = milestones_of([r.beneficiary_id for r in rows if r.beneficiary_id])
    return render(
        request,
        "referrals/referent/referral_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(r, milestones.get(r.beneficiary_id or 0, [])) for r in rows],
            "labels": REFERRAL_LIST_LABELS,
        },
    )


@access(REFERENT_ONLY)
def referent_referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_referral_or_404(request, reference)
    # The person's details are on this page: the read is traced, as on the staff side.
    record(actor=request.user, action=AuditAction.VIEW, obj=referral)
    milestones = (
        milestones_of([referral.beneficiary_id]).get(referral.beneficiary_id, [])
        if referral.beneficiary_id
        else []
    )
    language = voucher_language(referral)
    names = {code: str(name) for code, name in settings.LANGUAGES}
    return render(
        request,
        "referrals/referent/referral_detail.html",
        {
            "referral": referral,
            "milestones": milestones,
            "needs": needs_with_details(referral),
            "languages": language_names(referral.languages),
            "publics": public_labels(referral.publics),
            # The voucher in the person's language, or another one of ours (ADR 0025).
            "voucher_language": (language, names[language]),
            "other_voucher_languages": [(code, n) for code, n in names.items() if code != language],
        },
    )


@never_cache  # personal data: no copy in shared caches
@access(REFERENT_ONLY)
def referral_voucher_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The voucher in the language asked for (`?lang=`), else the person's (ADR 0025)."""
    referral = get_referral_or_404(request, reference)
    record(actor=request.user, action=AuditAction.EXPORT, obj=referral)  # a document handed out
    language = voucher_language(referral, request.GET.get("lang"))
    response = HttpResponse(
        render_voucher(referral, request, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bon-orientation-{referral.reference}.pdf"'
    response["Content-Language"] = html_lang(language)
    return response


@access(REFERENT_ONLY)
def referent_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = DigestSettingsForm(request.POST)
        if form.is_valid():
            set_digest_subscription(
                acting_user=acting_user_of(request), is_active=form.cleaned_data["is_active"]
            )
            messages.success(request, _("Vos préférences sont enregistrées."))
            return HttpResponseRedirect(reverse("referrals:referent_settings"))
    else:
        form = DigestSettingsForm(initial={"is_active": digest_is_active(request.user)})
    return render(request, "referrals/referent/settings.html", {"form": form})


@person_facing
@access(PUBLIC)
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """What happens to a person's data, for the person, in their language (ADR 0025)."""
    return render(
        request,
        "pages/privacy_notice.html",
        {
            "access_months": settings.ACCESS_PERIOD_MONTHS,
            "retention_years": ceil(settings.PERSONAL_DATA_RETENTION_DAYS / 365),
        },
    )
