"""The delivery log, a message's detail, the template preview, and the providers' webhooks."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from solidarnum.accounts.access import PUBLIC, AccessRuleMixin, access, roles
from solidarnum.accounts.enums import Role
from solidarnum.accounts.scope import acting_user_of, scope_of
from solidarnum.beneficiaries import file_page
from solidarnum.beneficiaries.selectors import get_beneficiary_or_404
from solidarnum.common.errors import ServiceError
from solidarnum.common.lists import LazyPaginator

from . import messages, reports, services
from .backends import WebhookPayloadError, sms_backend_named
from .enums import Channel
from .filters import MessageFilter
from .forms import PhoneForm
from .gsm import sms_length
from .masking import mask
from .models import Message
from .selectors import get_message_or_404, message_attempts, messages_for
from .tables import MessageTable

LOG_READERS = roles(Role.NATIONAL_ADMIN, Role.SITE_MANAGER, Role.STAFF)
# A webhook body larger than this is refused before it is read.
MAX_WEBHOOK_BYTES = 64 * 1024


class MessageList(AccessRuleMixin, SingleTableMixin, FilterView):
    access_rule = LOG_READERS
    template_name = "notifications/message_list.html"
    table_class = MessageTable
    filterset_class = MessageFilter
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[Message]:
        return messages_for(scope_of(self.request)).annotate(attempt_count=Count("attempts"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Messages envoyés")
        return context


message_list = MessageList.as_view()


@access(LOG_READERS)
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_or_404(request, pk)
    known = messages.known(message.template)
    context = {
        "message": message,
        "template_title": known.title if known else message.template,
        "keeps_text": known.keeps_text if known else True,
        "recipient": mask(message.recipient),
        "attempts": message_attempts(message),
        "length": sms_length(message.body) if message.channel == Channel.SMS else None,
    }
    return render(request, "notifications/message_detail.html", context)


@access(roles(Role.NATIONAL_ADMIN))
def template_preview(request: HttpRequest) -> HttpResponse:
    """Every template, a line each; its texts are on its own page (the list stays light as
    the apps add templates)."""
    return render(
        request, "notifications/template_preview.html", {"templates": messages.all_templates()}
    )


@access(roles(Role.NATIONAL_ADMIN))
def template_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One template in each language, with its SMS length and its variables."""
    template = messages.known(key)
    if template is None:
        raise Http404
    languages = messages.languages() if template.is_for_person else [settings.LANGUAGE_CODE]
    renderings = []
    for language in languages:
        for channel in template.channels:
            rendered = messages.render(
                template, template.sample, language=language, channel=channel
            )
            renderings.append(
                {
                    "language": language,
                    "channel": channel,
                    "channel_label": Channel(channel).label,
                    "subject": rendered.subject,
                    "body": rendered.body,
                    "length": sms_length(rendered.body) if channel == Channel.SMS else None,
                    "is_rtl": language in ("ar", "prs"),
                }
            )
    return render(
        request,
        "notifications/template_detail.html",
        {"template": template, "renderings": renderings},
    )


@access(roles(Role.SITE_MANAGER, Role.STAFF))
def phone_correct(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Correct the number of a person whose last SMS was refused."""
    beneficiary = get_beneficiary_or_404(request, str(public_id))
    form = PhoneForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.correct_phone(
                    acting_user=acting_user_of(request),
                    beneficiary=beneficiary,
                    phone=form.cleaned_data["phone"],
                )
            except ServiceError as error:
                form.add_error("phone", str(error))
            else:
                flash.success(request, _("Le numéro est corrigé."))
                url = file_page.url_of(beneficiary, file_page.MESSAGES)
                return HttpResponseRedirect(url + "#messages")
        flash.error(request, _("Le formulaire contient des erreurs : rien n'a été enregistré."))
    context = {"beneficiary": beneficiary, "form": form}
    return render(request, "notifications/phone_form.html", context, status=status)


def _secret_ok(request: HttpRequest) -> bool:
    expected = settings.NOTIFICATIONS_WEBHOOK_SECRET
    given = request.GET.get("secret", "") or request.headers.get("X-Webhook-Secret", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _payload(request: HttpRequest) -> Any:
    if len(request.body) > MAX_WEBHOOK_BYTES:
        raise WebhookPayloadError("size")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # deep nesting too
        raise WebhookPayloadError("json") from error


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"status": "refused", "reason": reason}, status=400)


@csrf_exempt
@access(PUBLIC)
@require_POST
def webhook_report(request: HttpRequest, provider: str) -> HttpResponse:
    """Delivery reports: 403 without the secret, 200 "ignored" for a message we do not know."""
    if not _secret_ok(request):
        return JsonResponse({"status": "forbidden"}, status=403)
    backend = sms_backend_named(provider)
    if backend is None:
        return JsonResponse({"status": "ignored"})
    try:
        payload = _payload(request)
        events = payload if isinstance(payload, list) else [payload]
        if len(events) > 100:
            raise WebhookPayloadError("size")
        parsed = [backend.parse_report(event) for event in events]
    except WebhookPayloadError as error:
        return _bad(str(error))
    changed = sum(
        reports.apply_report(provider=backend.name, report=report) for report in parsed if report
    )
    return JsonResponse({"status": "ok" if changed else "ignored", "changed": changed})


def _tracking_views() -> dict[str, Any]:
    """The e-mail providers whose anymail tracking webhook we accept, by the name in our URL."""
    from anymail.webhooks.brevo import BrevoTrackingWebhookView
    from anymail.webhooks.mailjet import MailjetTrackingWebhookView

    return {"brevo": BrevoTrackingWebhookView, "mailjet": MailjetTrackingWebhookView}


@csrf_exempt
@access(PUBLIC)
@require_POST
def webhook_email(request: HttpRequest, provider: str) -> HttpResponse:
    """E-mail delivery reports: anymail's tracking view for the provider (HTTP basic auth with
    `ANYMAIL["WEBHOOK_SECRET"]`), whose signal updates the log (`email_tracking`)."""
    from anymail.exceptions import AnymailError, AnymailWebhookValidationFailure

    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return JsonResponse({"status": "forbidden"}, status=403)
    view_class = _tracking_views().get(provider)
    if view_class is None:
        return JsonResponse({"status": "ignored"})
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return _bad("size")
    try:
        view_class.as_view()(request)
    except AnymailWebhookValidationFailure:
        return JsonResponse({"status": "forbidden"}, status=403)
    except (AnymailError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return _bad("body")  # a body anymail cannot read (JSON errors are ValueErrors)
    return JsonResponse({"status": "ok"})


@csrf_exempt
@access(PUBLIC)
@require_POST
def webhook_inbound(request: HttpRequest, provider: str) -> HttpResponse:
    """Replies to our SMS: a STOP stops every non-essential message to that number."""
    if not _secret_ok(request):
        return JsonResponse({"status": "forbidden"}, status=403)
    backend = sms_backend_named(provider)
    if backend is None:
        return JsonResponse({"status": "ignored"})
    try:
        inbound = backend.parse_inbound(_payload(request))
    except WebhookPayloadError as error:
        return _bad(str(error))
    stopped = reports.apply_inbound(provider=backend.name, inbound=inbound)
    return JsonResponse({"status": "ok" if stopped else "ignored"})
