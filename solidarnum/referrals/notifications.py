"""Messages about referrals, all through `notifications.notify`: the référent is told each new
status; the person can receive their voucher by SMS (or e-mail); the reception point's team is
reminded of referrals left unanswered; the référent's weekly digest (`digest.py`).

They carry the reference code and status, only the person's first name (the référent already
knows them), and a link back to the follow-up page. The voucher carries the code, the place,
its address and hours: nothing of the person's situation or needs.

Each message is logged with the referral it is about and its fingerprint (status and place):
one queued for a referral that changed since is not sent.
"""

from typing import Any

from solidarnum.common.links import absolute_url
from solidarnum.network.opening_hours import describe_opening_hours
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.models import Message
from solidarnum.notifications.notify import Recipient, attach_to_file, notify

from .models import Referral


def referral_fingerprint(object_id: str) -> str | None:
    """What a message about a referral depends on (registered with notifications.staleness)."""
    row = (
        Referral.objects.filter(pk=object_id, anonymised_at__isnull=True)
        .values_list("status", "reception_point_id")
        .first()
    )
    if row is None:
        return None
    status, place = row
    return f"{status}:{place}"


def status_changed_after_commit(referral: Referral) -> Message | None:
    """The référent is told by e-mail; the message is logged now and sent after commit."""
    referral = Referral.objects.select_related("referent", "reception_point", "refusal_reason").get(
        pk=referral.pk
    )
    if not referral.referent.email:
        return None
    return notify(
        recipient=Recipient.of_email(referral.referent.email),
        template="referrals.status_changed",
        context={
            "reference": referral.reference,
            "first_name": referral.first_name,
            "place": referral.reception_point.name,
            "status": referral.get_status_display(),
            "refusal_reason": referral.refusal_reason.label if referral.refusal_reason else "",
            "refusal_comment": referral.refusal_comment,
            "follow_up_url": absolute_url(
                "referrals:referent_referral_detail", reference=referral.reference
            ),
        },
        channel=Channel.EMAIL,
        related_object=referral,
        reception_point_id=referral.reception_point_id,
    )


def _address(place: Any) -> str:
    street = ", ".join(part for part in (place.address, place.address_complement) if part)
    return f"{street}, {place.postcode} {place.commune}"


def voucher_context(referral: Referral) -> dict[str, Any]:
    place = referral.reception_point
    return {
        "code": referral.reference,
        "place": place.name,
        "address": _address(place),
        # Told in the message's language, when the message is written.
        "hours": lambda: (
            "; ".join(describe_opening_hours(place.opening_hours))
            or (place.phone and str(place.phone))
            or "-"
        ),
        "until": referral.valid_until,
    }


def send_voucher(referral: Referral, *, channel: Channel | None = None) -> Message | None:
    """The voucher to the person, by SMS unless they prefer e-mail (and have one)."""
    return notify(
        recipient=Recipient.of_person(referral, beneficiary_id=referral.beneficiary_id),
        template="referrals.voucher",
        context=voucher_context(referral),
        channel=channel,
        related_object=referral,
        reception_point_id=referral.reception_point_id,
    )


def attach_to_person(referral: Referral) -> None:
    """The voucher sent while the referral was pending joins the person's file, once it exists."""
    if referral.beneficiary_id is not None:
        attach_to_file(referral, referral.beneficiary_id)


def send_reminder(
    *,
    site_id: int,
    site_name: str,
    references: list[str],
    recipients: list[str],
    days: int,
    expiry_days: int,
) -> None:
    """One e-mail to each member of the site's team, listing the referrals left unanswered."""
    for email in recipients:
        notify(
            recipient=Recipient.of_email(email),
            template="referrals.reminder",
            context={
                "site_name": site_name,
                "references": references,
                "count": len(references),
                "days": days,
                "expiry_days": expiry_days,
                "inbox_url": absolute_url("referrals:referral_inbox"),
            },
            channel=Channel.EMAIL,
            reception_point_id=site_id,
        )
