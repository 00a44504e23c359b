"""E-mails about referrals. Sent after commit; they carry the reference code and status, only the
person's first name (the référent already knows them), and a link back to the follow-up page."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from solidarnum.common.links import absolute_url

from .models import Referral


def status_changed_after_commit(referral: Referral) -> None:
    referral_id = referral.pk
    transaction.on_commit(lambda: send_status_changed(referral_id))


def send_status_changed(referral_id: int) -> None:
    referral = Referral.objects.select_related("referent", "reception_point", "refusal_reason").get(
        pk=referral_id
    )
    if not referral.referent.email:
        return
    follow_up_url = absolute_url("referrals:referent_referral_detail", reference=referral.reference)
    body = render_to_string(
        "referrals/email/status_changed.txt",
        {"referral": referral, "follow_up_url": follow_up_url},
    )
    send_mail(
        _("Bon d'orientation %(ref)s : %(status)s")
        % {"ref": referral.reference, "status": referral.get_status_display()},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [referral.referent.email],
    )
