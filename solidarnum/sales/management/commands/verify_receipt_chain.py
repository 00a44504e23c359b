"""Check every reception point's receipt chain (ADR 0033) and name the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.network.models import ReceptionPoint
from solidarnum.sales.receipts.chain import verify_chain

REASONS = {
    "previous_hash": _(
        "l'empreinte du ticket précédent ne correspond pas (ticket retiré ou inséré)"
    ),
    "content": _("le contenu du ticket a changé depuis son émission"),
    "sequence": _("le numéro ne suit pas le précédent"),
    "head": _("le dernier ticket enregistré manque"),
}


class Command(BaseCommand):
    help = "Vérifie la chaîne des tickets de caisse de chaque point d'accueil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", type=int, help="Identifiant d'un seul point d'accueil.")

    def handle(self, *args: Any, **options: Any) -> None:
        places = ReceptionPoint.objects.order_by("name")
        if options.get("site"):
            places = places.filter(pk=options["site"])
        failures = []
        for place in places:
            count, broken = verify_chain(place.pk)
            if broken is None:
                self.stdout.write(
                    ngettext(
                        "%(place)s : %(count)s ticket, chaîne intacte.",
                        "%(place)s : %(count)s tickets, chaîne intacte.",
                        count,
                    )
                    % {"place": place.name, "count": count}
                )
                continue
            reason = str(REASONS.get(broken.reason, broken.reason))
            failures.append(
                _("%(place)s : premier maillon rompu au ticket %(number)s (%(reason)s).")
                % {"place": place.name, "number": broken.number or "—", "reason": reason}
            )
        if failures:
            raise CommandError(" ".join(failures))
