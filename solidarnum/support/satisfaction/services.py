"""The satisfaction survey: a smiley and three questions, answered on the site's tablet or
through a link sent by SMS, once per survey."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.common.links import absolute_url
from solidarnum.notifications import messages
from solidarnum.notifications.enums import Channel, MessageKind
from solidarnum.notifications.notify import Recipient, notify
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction
from solidarnum.support import permissions
from solidarnum.support.enums import SessionKind, Smiley
from solidarnum.support.models import Appointment, Enrolment, SurveyAnswer

from .questions import ANSWERS

messages.register(
    messages.MessageTemplate(
        key="support.survey",
        title=gettext_lazy("Questionnaire de satisfaction (à la personne)"),
        kind=MessageKind.INFORMATIONAL,
        is_for_person=True,
        variables=("place", "link"),
        sample={"place": "Paris 19e", "link": "https://solidarnum.example.org/accompagner/avis/x/"},
        channels=(Channel.SMS, Channel.EMAIL),
        sms=gettext_noop(
            # Translators: an SMS asking the person's opinion after a session; link opens a very
            # short survey. Keep it short.
            "Merci d'être venu·e à %(place)s. Votre avis en 1 minute : %(link)s"
        ),
        # Translators: the subject of the e-mail asking the person's opinion.
        subject=gettext_noop("Votre avis sur %(place)s"),
        email=gettext_noop(
            # Translators: the e-mail asking the person's opinion after a session; plain words.
            "Bonjour,\n\nMerci d'être venu·e à %(place)s.\nDonnez votre avis en 1 minute : %(link)s"
        ),
    )
)


@transaction.atomic
def start_survey(
    *,
    acting_user: User,
    scope: Scope,
    appointment: Appointment | None = None,
    enrolment: Enrolment | None = None,
    send: bool = False,
) -> SurveyAnswer:
    """A survey for the person of a permanence or a course; sent by SMS (or e-mail) if asked,
    else answered now on the tablet."""
    if appointment is not None:
        site_id, person, kind = (
            appointment.reception_point_id,
            appointment.beneficiary,
            SessionKind.ONE_TO_ONE,
        )
    elif enrolment is not None:
        site_id, person, kind = (
            enrolment.cohort.reception_point_id,
            enrolment.beneficiary,
            SessionKind.COURSE,
        )
    else:
        raise ServiceError(_("Choisissez la séance ou le parcours."))
    if not permissions.is_team_of(scope, site_id):
        raise ServiceError(_("Seule l'équipe du point d'accueil propose le questionnaire."))
    survey = SurveyAnswer.objects.create(
        kind=kind,
        reception_point_id=site_id,
        beneficiary=person,
        appointment=appointment,
        enrolment=enrolment,
        language=messages.language_for(tuple(person.languages or ())),
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=survey, changed_fields=["kind"])
    if send:
        sent = notify(
            recipient=Recipient.of_person(person, beneficiary_id=person.pk),
            template="support.survey",
            context={
                "place": survey.reception_point.name,
                "link": absolute_url("support:survey", token=survey.token)
                + f"?lang={survey.language}",
            },
            related_object=survey,
            reception_point_id=site_id,
        )
        if sent is None:
            raise ServiceError(
                _("Cette personne n'a ni téléphone ni e-mail : proposez la tablette.")
            )
    return survey


@transaction.atomic
def answer_survey(
    *, survey: SurveyAnswer, smiley: int, learnt: str, clear: str, again: str
) -> SurveyAnswer:
    """The person's answer (no account: the survey's token is the key), once."""
    current = SurveyAnswer.objects.select_for_update().get(pk=survey.pk)
    if current.answered_at is not None:
        raise ServiceError(_("Ce questionnaire a déjà reçu une réponse. Merci !"))
    if smiley not in Smiley.values:
        raise ServiceError(_("Choisissez un visage."))
    answers = {"learnt": learnt, "clear": clear, "again": again}
    if not all(value in ANSWERS for value in answers.values()):
        raise ServiceError(_("Répondez aux trois questions."))
    current.smiley = smiley
    current.learnt, current.clear, current.again = learnt, clear, again
    current.answered_at = timezone.now()
    current.save(update_fields=["smiley", "learnt", "clear", "again", "answered_at"])
    record(actor=None, action=AuditAction.UPDATE, obj=current, changed_fields=["smiley"])
    return current
