"""The survey the person answers (tablet or link, in their language, read aloud on request),
starting one after a session, and the satisfaction rates per service and site."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidarnum.accounts.access import PUBLIC, access
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.common.errors import ServiceError
from solidarnum.common.language import person_facing
from solidarnum.support import permissions, selectors
from solidarnum.support.enums import Smiley

from . import services
from .questions import ANSWERS, QUESTIONS
from .selectors import get_survey_or_404, rates_for


@person_facing
@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: Any) -> HttpResponse:
    found = get_survey_or_404(token)
    error = ""
    status = 200
    if request.method == "POST" and found.answered_at is None:
        smiley = request.POST.get("smiley", "")
        try:
            services.answer_survey(
                survey=found,
                smiley=int(smiley) if smiley.isdigit() else 0,
                learnt=request.POST.get("learnt", ""),
                clear=request.POST.get("clear", ""),
                again=request.POST.get("again", ""),
            )
            return HttpResponseRedirect(reverse("support:survey", kwargs={"token": token}))
        except ServiceError as refusal:
            error = str(refusal)
            status = 400
    return render(
        request,
        "support/satisfaction/survey.html",
        {
            "survey": found,
            "error": error,
            "smileys": [(value, label, "😞🙁😐🙂😀"[value - 1]) for value, label in Smiley.choices],
            "questions": QUESTIONS,
            "answers": list(ANSWERS.items()),
        },
        status=status,
    )


@access(permissions.TEAM)
@require_POST
def survey_start(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """After a permanence or a course: on the tablet now, or a link by SMS."""
    appointment = selectors.get_appointment_or_404(request, pk) if kind == "permanence" else None
    enrolment = selectors.get_enrolment_or_404(request, pk) if kind == "parcours" else None
    send = request.POST.get("send") == "1"
    back = (
        reverse("support:appointment_detail", kwargs={"pk": pk})
        if appointment
        else reverse("support:cohort_detail", kwargs={"pk": enrolment.cohort_id})  # type: ignore[union-attr]
    )
    try:
        found = services.start_survey(
            acting_user=acting_user_of(request),
            scope=scope_of(request),
            appointment=appointment,
            enrolment=enrolment,
            send=send,
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    if send:
        messages.success(request, _("Lien du questionnaire envoyé à la personne."))
        return HttpResponseRedirect(back)
    url = reverse("support:survey", kwargs={"token": found.token})
    return HttpResponseRedirect(f"{url}?lang={found.language}")


@access(permissions.RATE_READERS)
@require_GET
def satisfaction_rates(request: HttpRequest) -> HttpResponse:
    return render(
        request, "support/satisfaction/rates.html", {"rows": rates_for(scope_of(request))}
    )
