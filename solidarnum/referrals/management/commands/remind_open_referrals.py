from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.referrals.tasks import remind_open_referrals


class Command(BaseCommand):
    help = "Relance les points d'accueil pour les bons d'orientation restés ouverts trop longtemps."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = remind_open_referrals()
        self.stdout.write(
            ngettext(
                "%(n)d bon d'orientation relancé.", "%(n)d bons d'orientation relancés.", reminded
            )
            % {"n": reminded}
        )
