"""Messages from a site manager to the site's volunteers, and their "je viens" answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.links import absolute_url
from solidarnum.notifications.enums import Channel
from solidarnum.notifications.notify import Recipient, e164, notify
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.volunteers.enums import ContactChannel, VolunteerStatus
from solidarnum.volunteers.messages import TO_VOLUNTEERS
from solidarnum.volunteers.models import Broadcast, BroadcastRecipient
from solidarnum.volunteers.permissions import is_manager_of
from solidarnum.volunteers.selectors import active_site_volunteers


@transaction.atomic
def send_broadcast(*, acting_user: User, scope: Scope, text: str) -> Broadcast:
    """One message to every active volunteer of the site: by SMS to those who chose it and
    gave a number, else by e-mail."""
    site_id = scope.reception_point_id
    if site_id is None or not is_manager_of(scope, site_id) or scope.membership is None:
        raise ServiceError(_("Seul le responsable du point d'accueil écrit à ses bénévoles."))
    text = " ".join(text.split())
    if not text:
        raise ServiceError(_("Écrivez le message."))
    broadcast = Broadcast.objects.create(reception_point_id=site_id, text=text, sent_by=acting_user)
    record(actor=acting_user, action=AuditAction.CREATE, obj=broadcast, changed_fields=["text"])
    site = scope.membership.reception_point
    answer_url = absolute_url("volunteers:my_messages")
    for user in active_site_volunteers(site_id).exclude(pk=acting_user.pk):
        profile = getattr(user, "volunteer_profile", None)
        if profile is not None and profile.status != VolunteerStatus.ACTIVE:
            continue
        phone = e164(profile.phone) if profile is not None else ""
        wants_sms = profile is not None and profile.contact_channel == ContactChannel.SMS
        channel = Channel.SMS if wants_sms and phone else Channel.EMAIL
        message = notify(
            recipient=Recipient(phone=phone, email=user.email, prefers=channel),
            template=TO_VOLUNTEERS.key,
            context={"place": str(site), "text": text, "answer_url": answer_url},
            channel=channel,
            related_object=broadcast,
            reception_point_id=site_id,
        )
        BroadcastRecipient.objects.create(
            broadcast=broadcast, user=user, channel=message.channel if message else ""
        )
    return broadcast


@transaction.atomic
def answer_coming(*, acting_user: User, recipient: BroadcastRecipient, coming: bool) -> None:
    """The volunteer answers "je viens" (or takes it back)."""
    if recipient.user_id != acting_user.pk:
        raise ServiceError(_("Ce message ne vous était pas adressé."))
    recipient = BroadcastRecipient.objects.select_for_update().get(pk=recipient.pk)
    recipient.coming_at = timezone.now() if coming else None
    recipient.save(update_fields=["coming_at"])
    record(
        actor=acting_user, action=AuditAction.UPDATE, obj=recipient, changed_fields=["coming_at"]
    )
