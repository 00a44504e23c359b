"""The message templates, one per kind of message, and their rendering in a language.

Texts are gettext messages (French msgids, with a note for translators) kept in this app's
catalogues, `locale/<language>/LC_MESSAGES/django.po`; longer e-mails with lists are Django
templates under `templates/notifications/email/`. Each template declares its variables and an
example of each, which the preview page (national admins) and the tests render in every language.

What a person receives carries only what they need: a code of their own, a place, a time; never
their social situation, their needs or a note (`PERSON_VARIABLES` lists what is allowed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext_lazy

from solidarnum.common.language import ALIASES

from .enums import Channel, MessageKind
from .gsm import prepare_sms


class MissingVariable(KeyError):
    pass


# What a text sent to a person may carry (a test checks every person's template against it).
# `amount` and `saving` are the person's own receipt: what they paid and saved at the till;
# `bring` is what to bring to an appointment, `link` a page of theirs (their appointment, a
# survey).
PERSON_VARIABLES = frozenset(
    {
        "code",
        "place",
        "address",
        "hours",
        "until",
        "time",
        "first_name",
        "amount",
        "saving",
        "bring",
        "link",
    }
)


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    title: Promise | str
    kind: MessageKind
    is_for_person: bool  # a person served (several languages), else a team or a référent
    variables: tuple[str, ...]
    sample: Mapping[str, Any]
    sms: str = ""
    # A msgid, or a lazy plural (`ngettext_lazy(..., "count")`) whose form the variable decides.
    subject: str | Promise = ""
    email: str = ""  # a plain-text body, or:
    email_template: str = ""  # a Django template for longer bodies
    channels: tuple[Channel, ...] = field(default=(Channel.EMAIL,))
    # False: the text carries a personal link (an invitation): the log never shows it and
    # forgets it once the message is sent or has failed.
    keeps_text: bool = True


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _value(value: Any) -> Any:
    if callable(value):  # computed in the message's language (e.g. opening hours)
        value = value()
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def _format(msgid: str, values: Mapping[str, Any]) -> str:
    try:
        return gettext(msgid) % values
    except KeyError as error:  # a translation naming a variable the template does not have
        raise MissingVariable(str(error)) from error


def render(
    template: MessageTemplate, context: Mapping[str, Any], *, language: str, channel: Channel
) -> Rendered:
    missing = [name for name in template.variables if name not in context]
    if missing:
        raise MissingVariable(", ".join(missing))
    with translation.override(language):
        values = {name: _value(context[name]) for name in template.variables}
        if channel == Channel.SMS:
            return Rendered("", prepare_sms(_format(template.sms, values), language))
        if isinstance(template.subject, Promise):
            try:
                subject_text = str(template.subject % values)
            except KeyError as error:
                raise MissingVariable(str(error)) from error
        else:
            subject_text = _format(template.subject, values)
        body: str
        if template.email_template:
            body = str(render_to_string(template.email_template, values))
        else:
            body = _format(template.email, values)
    return Rendered(" ".join(subject_text.split()), body)


def languages() -> list[str]:
    """The languages message templates are written in (`NOTIFICATIONS_LANGUAGES`)."""
    return list(settings.NOTIFICATIONS_LANGUAGES)


def language_for(spoken: list[str] | tuple[str, ...]) -> str:
    """The first language the person speaks that templates exist in; French otherwise."""
    known = languages()
    for code in spoken:
        if not isinstance(code, str):
            continue
        code = ALIASES.get(code.lower(), code.lower())  # a referral's "fa" reads Dari
        if code in known:
            return code
    return str(settings.LANGUAGE_CODE)


_registry: dict[str, MessageTemplate] = {}


def register(template: MessageTemplate) -> MessageTemplate:
    _registry[template.key] = template
    return template


def unregister(key: str) -> None:
    _registry.pop(key, None)


def get(key: str) -> MessageTemplate:
    return _registry[key]


def known(key: str) -> MessageTemplate | None:
    """The template of a logged message, None for one no longer defined."""
    return _registry.get(key)


def all_templates() -> list[MessageTemplate]:
    return sorted(_registry.values(), key=lambda t: t.key)


def _sample_hours() -> str:
    from solidarnum.network.opening_hours import describe_opening_hours

    return "; ".join(describe_opening_hours("Mo-Fr 09:30-12:30,14:00-17:30"))


SAMPLE_HOURS: Callable[[], str] = _sample_hours

# --- The templates ------------------------------------------------------------------------------

VOUCHER = register(
    MessageTemplate(
        key="referrals.voucher",
        title=gettext_lazy("Bon d'orientation envoyé à la personne"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=True,
        variables=("code", "place", "address", "hours", "until"),
        sample={
            "code": "K7P-2QX",
            "place": "Paris 19e",
            "address": "12 rue de l'Ourcq, 75019 Paris",
            "hours": SAMPLE_HOURS,
            "until": date(2026, 12, 31),
        },
        channels=(Channel.SMS, Channel.EMAIL),
        sms=gettext_noop(
            # Translators: an SMS to the person referred. Keep it short: 160 characters make one
            # SMS. Keep the variable names as they are: code is the voucher's code, place the
            # reception point, address its address, hours its opening hours, until a date.
            "Bon d'orientation %(code)s. Allez à %(place)s, %(address)s. "
            "Horaires : %(hours)s. Valable jusqu'au %(until)s. Montrez ce message à l'accueil."
        ),
        # Translators: the subject of the e-mail carrying the voucher to the person referred.
        subject=gettext_noop("Votre bon d'orientation %(code)s"),
        email=gettext_noop(
            # Translators: the e-mail carrying the voucher to the person referred; plain words.
            "Bonjour,\n\nVotre bon d'orientation porte le code %(code)s.\n\n"
            "Allez à %(place)s : %(address)s.\nHoraires : %(hours)s.\n\n"
            "Le bon est valable jusqu'au %(until)s. Montrez ce message à l'accueil."
        ),
    )
)

SALE_RECEIPT = register(
    MessageTemplate(
        key="sales.receipt",
        title=gettext_lazy("Ticket de caisse envoyé à la personne"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=True,
        # Never a secret code: it is shown once, on the receipt at the counter (ADR 0032).
        variables=("code", "place", "amount", "saving"),
        sample={
            "code": "P19-2026-000123",
            "place": "Paris 19e",
            "amount": "6,00",
            "saving": "23,50",
        },
        channels=(Channel.SMS,),
        sms=gettext_noop(
            # Translators: an SMS to a person who just bought at the reception point's till.
            # code is the receipt's number, place the reception point, amount what the person
            # paid and saving what they saved against the market price, both in euros. Keep it
            # short: 160 characters make one SMS.
            "Ticket %(code)s, %(place)s : %(amount)s € payés, %(saving)s € économisés "
            "par rapport au prix du marché. Gardez ce message."
        ),
    )
)


class _SampleInvitation:
    """What the invitation's template reads of an invitation, for the preview."""

    expires_at = datetime(2026, 12, 15, 17, 0, tzinfo=UTC)

    def get_role_display(self) -> str:
        return str(gettext_lazy("bénévole"))


INVITATION = register(
    MessageTemplate(
        key="accounts.invitation",
        title=gettext_lazy("Invitation à rejoindre solidarnum (compte d'un membre)"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=False,
        variables=("invitation", "accept_url"),
        sample={
            "invitation": _SampleInvitation(),
            "accept_url": "https://solidarnum.example.org/invitation/jeton-personnel/",
        },
        subject=gettext_noop("Invitation à rejoindre solidarnum"),
        email_template="accounts/email/invitation.txt",
        keeps_text=False,
    )
)

REFERRAL_STATUS_CHANGED = register(
    MessageTemplate(
        key="referrals.status_changed",
        title=gettext_lazy("Orientation : nouveau statut (au référent)"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=False,
        variables=(
            "reference",
            "first_name",
            "place",
            "status",
            "refusal_reason",
            "refusal_comment",
            "follow_up_url",
        ),
        sample={
            "reference": "K7P-2QX",
            "first_name": "Awa",
            "place": "Paris 19e",
            "status": gettext_lazy("refusée"),
            "refusal_reason": gettext_lazy("Hors du territoire du point d'accueil"),
            "refusal_comment": "",
            "follow_up_url": "https://solidarnum.example.org/orientations/K7P-2QX/",
        },
        # Translators: subject of the e-mail telling a social worker their referral's new status.
        subject=gettext_noop("Bon d'orientation %(reference)s : %(status)s"),
        email_template="notifications/email/referral_status_changed.txt",
    )
)

REFERRAL_REMINDER = register(
    MessageTemplate(
        key="referrals.reminder",
        title=gettext_lazy("Orientations sans réponse (à l'équipe du point d'accueil)"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=False,
        variables=("site_name", "references", "count", "days", "expiry_days", "inbox_url"),
        sample={
            "site_name": "Paris 19e",
            "references": ["K7P-2QX", "M3R-8TW"],
            "count": 2,
            "days": 10,
            "expiry_days": 30,
            "inbox_url": "https://solidarnum.example.org/accueil/orientations/",
        },
        subject=ngettext_lazy(
            # Translators: subject of the reminder sent to a reception point's team.
            "%(count)d bon d'orientation en attente de réponse à %(site_name)s",
            "%(count)d bons d'orientation en attente de réponse à %(site_name)s",
            "count",
        ),
        email_template="notifications/email/referral_reminder.txt",
    )
)

REFERRAL_DIGEST = register(
    MessageTemplate(
        key="referrals.digest",
        title=gettext_lazy("Récapitulatif hebdomadaire des orientations (au référent)"),
        kind=MessageKind.INFORMATIONAL,
        is_for_person=False,
        variables=("since", "counts", "referrals", "count", "not_listed", "follow_up_url"),
        sample={
            "since": date(2026, 11, 23),
            "counts": [(gettext_lazy("validée"), 1), (gettext_lazy("refusée"), 1)],
            "referrals": [
                {"reference": "K7P-2QX", "first_name": "Awa", "status": "validée", "place": "Lyon"},
                {
                    "reference": "M3R-8TW",
                    "first_name": "Ivan",
                    "status": "refusée",
                    "place": "Lyon",
                },
            ],
            "count": 2,
            "not_listed": 0,
            "follow_up_url": "https://solidarnum.example.org/orientations/",
        },
        subject=ngettext_lazy(
            # Translators: subject of the weekly digest sent to a social worker.
            "Vos orientations : %(count)d bon mis à jour cette semaine",
            "Vos orientations : %(count)d bons mis à jour cette semaine",
            "count",
        ),
        email_template="notifications/email/referral_digest.txt",
    )
)
