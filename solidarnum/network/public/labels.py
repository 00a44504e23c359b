"""The directory's services in the words of the people served (ADR 0025).

The national nomenclature (`PlaceService`, the open-data vocabulary) speaks to professionals:
"Insertion professionnelle via le numérique". A person looking for help reads short, common
words. Listed in the order people look for them: a device, a connection, then learning.
"""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from solidarnum.network.enums import PlaceService

SERVICE_LABELS: dict[PlaceService, StrPromise] = {
    # Translators: a service of a place in the public directory: devices sold cheaply.
    PlaceService.EQUIPMENT: _("Acheter un ordinateur ou un téléphone à petit prix"),
    # Translators: a service of a place: SIM cards and phone or internet top-ups sold cheaply.
    PlaceService.ACCESS: _("Se connecter : cartes SIM et recharges à petit prix"),
    # Translators: a service of a place: learning the basics of computers, phones and e-mail.
    PlaceService.DAILY_TOOLS: _("Apprendre les bases : ordinateur, téléphone, e-mail"),
    # Translators: a service of a place: help with official procedures done online.
    PlaceService.ADMIN: _("Aide pour les démarches en ligne"),
    # Translators: a service of a place: looking for a job with the internet.
    PlaceService.EMPLOYMENT: _("Chercher un emploi sur internet"),
    # Translators: a service of a place: parents follow their children's school online.
    PlaceService.PARENTING: _("Suivre l'école de ses enfants en ligne"),
    # Translators: a service of a place: staying safe online (scams, passwords).
    PlaceService.SAFETY: _("Utiliser internet sans danger"),
    # Translators: a service of a place: understanding the digital world.
    PlaceService.UNDERSTANDING: _("Comprendre le numérique"),
    # Translators: a service of a place: hobbies and creative work with digital tools.
    PlaceService.LEISURE: _("Loisirs et création avec le numérique"),
}

# The short codes of the `service` filter in the directory's address (?service=equipment).
SERVICE_SLUGS: dict[str, PlaceService] = {
    service.name.lower(): service for service in SERVICE_LABELS
}
