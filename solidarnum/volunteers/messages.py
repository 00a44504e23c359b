"""The message a site manager sends to the site's volunteers, registered with notifications."""

from django.utils.translation import gettext_lazy, gettext_noop

from solidarnum.notifications.enums import Channel, MessageKind
from solidarnum.notifications.messages import MessageTemplate, register

TO_VOLUNTEERS = register(
    MessageTemplate(
        key="volunteers.broadcast",
        title=gettext_lazy("Message du point d'accueil à ses bénévoles"),
        kind=MessageKind.TRANSACTIONAL,
        is_for_person=False,
        variables=("place", "text", "answer_url"),
        sample={
            "place": "Paris 19e",
            "text": "Besoin de renfort samedi matin pour l'accueil.",
            "answer_url": "https://solidarnum.example.org/benevoles/messages/",
        },
        channels=(Channel.EMAIL, Channel.SMS),
        sms=gettext_noop(
            # Translators: an SMS from a reception point to its volunteers. place is the
            # reception point, text the message, answer_url the page where they answer.
            "%(place)s : %(text)s Répondre « je viens » : %(answer_url)s"
        ),
        # Translators: the subject of an e-mail from a reception point to its volunteers.
        subject=gettext_noop("Message de %(place)s aux bénévoles"),
        email=gettext_noop(
            # Translators: an e-mail from a reception point to its volunteers.
            "Bonjour,\n\n%(text)s\n\nSi vous venez, dites-le ici : %(answer_url)s\n\n"
            "L'équipe de %(place)s"
        ),
    )
)
