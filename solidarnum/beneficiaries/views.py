"""The people's files: list, file page, notes, diagnostic, merge of duplicates, exit.

Files are fetched only through `get_beneficiary_or_404` (staff and volunteers of the person's
site). Each display of a file page is written to the audit trail; nothing else is written on GET.
Volunteers see a reduced file: name, needs, profile and upcoming sessions.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import AccessRuleMixin, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import Scope, acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

from . import file_page, filters, forms, services, tables
from .diagnostic import QUESTIONS, count_alone
from .labels import language_names, public_labels
from .models import Beneficiary, BeneficiaryQuerySet
from .selectors import (
    beneficiary_rows,
    can_see_file_readers,
    can_see_full_file,
    current_period,
    file_readers,
    get_beneficiary_or_404,
    get_file_or_404,
)

SITE_TEAM = roles(Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER)
FULL_FILE = roles(Role.SITE_MANAGER, Role.STAFF)
SITE_MANAGER = roles(Role.SITE_MANAGER)

TIMELINE_PAGE_SIZE = 50
TIMELINE_PAGE_PARAM = "parcours"
MAX_TIMELINE_PAGE = 1000  # keeps the SQL offset small whatever is typed in the URL
MERGE_CANDIDATES_LIMIT = 20
READERS_SHOWN = 10  # on the file; the rest on its own page
READERS_PER_PAGE = 50
NOT_SAVED = gettext_lazy("Le formulaire contient des erreurs : rien n'a été enregistré.")


class BeneficiaryList(AccessRuleMixin, SingleTableMixin, FilterView):
    access_rule = SITE_TEAM
    template_name = "beneficiaries/beneficiary_list.html"
    table_class = tables.BeneficiaryTable
    filterset_class = filters.BeneficiaryFilter
    paginator_class = LazyPaginator  # no COUNT over the table
    table_pagination = {"per_page": 25}

    def get_queryset(self) -> BeneficiaryQuerySet:
        return beneficiary_rows(scope_of(self.request))

    def get_table_kwargs(self) -> dict[str, Any]:
        if can_see_full_file(scope_of(self.request)):
            return {}
        return {"exclude": ("birth_year",)}  # volunteers: no birth year


def _kept_file(beneficiary: Beneficiary, url_name: str) -> HttpResponseRedirect | None:
    """A merged file's URLs lead to the file it was merged into."""
    if beneficiary.merged_into_id is None:
        return None
    kept = beneficiary.merged_into
    assert kept is not None
    return HttpResponseRedirect(reverse(url_name, args=[kept.public_id]))


def _timeline_page(request: HttpRequest) -> int:
    try:
        return min(max(1, int(request.GET.get(TIMELINE_PAGE_PARAM, "1"))), MAX_TIMELINE_PAGE)
    except ValueError:
        return 1


def _full_file_context(request: HttpRequest, beneficiary: Beneficiary) -> dict[str, Any]:
    """Everything staff see; a fixed number of queries whatever the size of the file."""
    period = current_period(beneficiary)  # read with the file
    diagnostics = [
        {"diagnostic": d, "alone": count_alone(d.answers)}
        for d in beneficiary.diagnostics.select_related("done_by").order_by("-done_at", "-pk")
    ]
    page = _timeline_page(request)
    offset = (page - 1) * TIMELINE_PAGE_SIZE
    # One row more than shown tells whether an older page exists, without a COUNT.
    entries = list(
        beneficiary.timeline.select_related("actor")[offset : offset + TIMELINE_PAGE_SIZE + 1]
    )
    return {
        "publics": public_labels(beneficiary.publics),
        "languages": ", ".join(language_names(beneficiary.languages)),
        "period": period,
        "access_label": tables.days_left_label(period.effective_end if period else None),
        "diagnostics": diagnostics,
        "question_count": len(QUESTIONS),
        "timeline": entries[:TIMELINE_PAGE_SIZE],
        "timeline_page": page,
        "timeline_older": page + 1 if len(entries) > TIMELINE_PAGE_SIZE else None,
        "timeline_newer": page - 1 if page > 1 else None,
        "timeline_param": TIMELINE_PAGE_PARAM,
        "notes": beneficiary.notes.select_related("author"),
        "note_form": forms.NoteForm(),
    }


@access(SITE_TEAM)
def beneficiary_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The file, one tab at a time (`?onglet=`, ADR 0045): only the shown tab is computed.
    Volunteers see the reduced file, without tabs."""
    beneficiary = get_file_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_detail"):
        return redirect
    # Every display of a file is traced, each tab and the reduced volunteer view included.
    record(actor=request.user, action=AuditAction.VIEW, obj=beneficiary)
    full = can_see_full_file(scope_of(request))
    tab = file_page.tab_of(request.GET.get(file_page.TAB_PARAM) if full else None)
    on_file = tab.key == file_page.FILE
    context: dict[str, Any] = {
        "beneficiary": beneficiary,
        "full": full,
        "tab": tab,
        "on_file": on_file,
        "needs": tables.needs_badges(beneficiary),
    }
    if full:
        context["tabs"] = [
            {"key": t.key, "label": t.label, "url": file_page.url_of(beneficiary, t.key)}
            for t in file_page.tabs()
        ]
    if not on_file:
        context["file_sections"] = file_page.sections_of(beneficiary, tab.key)
        return render(request, "beneficiaries/beneficiary_detail.html", context)
    context["sessions"] = file_page.upcoming_of(beneficiary)  # filled by support
    if full:
        context.update(_full_file_context(request, beneficiary))
    if can_see_file_readers(scope_of(request), beneficiary):
        readers = list(file_readers(beneficiary)[: READERS_SHOWN + 1])
        context["show_readers"] = True
        context["readers"] = readers[:READERS_SHOWN]
        context["more_readers"] = len(readers) > READERS_SHOWN
    return render(request, "beneficiaries/beneficiary_detail.html", context)


@access(SITE_MANAGER)
def beneficiary_readers(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Every opening of the file, newest first. Not itself an opening: it shows no personal
    data beyond the name."""
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_readers"):
        return redirect
    if not can_see_file_readers(scope_of(request), beneficiary):
        raise PermissionDenied
    paginator = LazyPaginator(file_readers(beneficiary), READERS_PER_PAGE)  # no COUNT
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    return render(
        request,
        "beneficiaries/beneficiary_readers.html",
        {"beneficiary": beneficiary, "page": page},
    )


@access(FULL_FILE)
def beneficiary_note_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_note_add"):
        return redirect
    form = forms.NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_note(
                    acting_user=acting_user_of(request),
                    beneficiary=beneficiary,
                    text=form.cleaned_data["text"],
                )
            except ServiceError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, _("La note a été ajoutée."))
                return HttpResponseRedirect(
                    reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
                    + "#notes"
                )
        messages.error(request, NOT_SAVED)
    return render(
        request,
        "beneficiaries/note_form.html",
        {"beneficiary": beneficiary, "form": form},
        status=400 if form.errors else 200,
    )


@access(FULL_FILE)
def beneficiary_diagnostic(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_diagnostic"):
        return redirect
    form = forms.DiagnosticForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                diagnostic = services.record_diagnostic(
                    acting_user=acting_user_of(request),
                    beneficiary=beneficiary,
                    answers=form.answers(),
                    equipment=data["equipment"],
                    connection=data["connection"],
                    telecom_spend_monthly=data["telecom_spend_monthly"],
                    profile_override=data["profile_override"] or None,
                    override_reason=data["override_reason"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Diagnostic enregistré. Profil : %(profile)s. Services à proposer : %(s)s.")
                    % {
                        "profile": diagnostic.get_profile_display(),
                        "s": " ; ".join(diagnostic.suggested_services),
                    },
                )
                return HttpResponseRedirect(
                    reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
                )
        messages.error(request, NOT_SAVED)
    return render(
        request,
        "beneficiaries/diagnostic_form.html",
        {"beneficiary": beneficiary, "form": form},
        status=400 if form.errors else 200,
    )


def _merge_candidates(
    scope: Scope, beneficiary: Beneficiary, query: str
) -> tuple[list[Beneficiary], bool]:
    """Likely duplicates (same name and birth year, or same phone), or the search results."""
    others = beneficiary_rows(scope).exclude(pk=beneficiary.pk)
    query = query.strip()
    if not query:
        duplicates = services.possible_duplicates(
            reception_point_id=beneficiary.reception_point_id,
            search_name=beneficiary.search_name,
            birth_year=beneficiary.birth_year,
            phone=beneficiary.phone,
        )
        ids = [b.pk for b in duplicates]
        return list(others.filter(pk__in=ids)), False
    try:
        condition: Q | None = Q(public_id=uuid.UUID(query))
    except ValueError:
        condition = filters.search_condition(query, with_phone=True)
    if condition is None:  # nothing usable to search with: no guess
        return [], True
    return list(others.filter(condition)[:MERGE_CANDIDATES_LIMIT]), True


@access(FULL_FILE)
def beneficiary_merge(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_merge"):
        return redirect
    scope = scope_of(request)
    others = beneficiary_rows(scope).exclude(pk=beneficiary.pk)
    other: Beneficiary | None = None
    form: forms.MergeForm | None = None
    if request.method == "POST":
        form = forms.MergeForm(request.POST)
        if form.is_valid():
            merged_id = form.cleaned_data["merged"]
            # Scoped: a file of another site is "not found", like a missing one.
            other = beneficiary_rows(scope).filter(public_id=merged_id).first()
            if other is None:
                form.add_error("merged", _("Ce dossier est introuvable sur votre point d'accueil."))
            else:
                try:
                    services.merge_beneficiaries(
                        acting_user=acting_user_of(request), kept=beneficiary, merged=other
                    )
                except ServiceError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("Les deux dossiers sont fusionnés : tout est maintenant dans celui-ci."),
                    )
                    return HttpResponseRedirect(
                        reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
                    )
        messages.error(request, NOT_SAVED)
    else:
        try:
            chosen = uuid.UUID(request.GET.get("avec", ""))
        except ValueError:
            chosen = None
        if chosen is not None:
            other = others.filter(public_id=chosen).first()
        if other is not None:
            form = forms.MergeForm(initial={"merged": other.public_id})
    search_form = forms.MergeSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    candidates, searched = _merge_candidates(scope, beneficiary, query)
    return render(
        request,
        "beneficiaries/merge.html",
        {
            "beneficiary": beneficiary,
            "search_form": search_form,
            "candidates": candidates,
            "searched": searched,
            "other": other if other is not None and other.pk != beneficiary.pk else None,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@access(FULL_FILE)
def beneficiary_exit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    if redirect := _kept_file(beneficiary, "beneficiaries:beneficiary_exit"):
        return redirect
    form = forms.ExitForm(
        request.POST if request.method == "POST" else None,
        initial={
            "is_equipped": beneficiary.is_equipped,
            "is_connected": beneficiary.is_connected,
            "has_basic_skills": beneficiary.has_basic_skills,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_exit(
                    acting_user=acting_user_of(request),
                    beneficiary=beneficiary,
                    outcome=data["outcome"],
                    is_equipped=data["is_equipped"],
                    is_connected=data["is_connected"],
                    has_basic_skills=data["has_basic_skills"],
                    comment=data["comment"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("La sortie est enregistrée."))
                return HttpResponseRedirect(
                    reverse("beneficiaries:beneficiary_detail", args=[beneficiary.public_id])
                )
        messages.error(request, NOT_SAVED)
    return render(
        request,
        "beneficiaries/exit_form.html",
        {"beneficiary": beneficiary, "form": form},
        status=400 if form.errors else 200,
    )
