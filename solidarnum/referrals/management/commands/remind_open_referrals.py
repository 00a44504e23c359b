from typing import Any

from django.core.management.base import BaseCommand

from solidarnum.referrals.tasks import remind_open_referrals


class Command(BaseCommand):
    help = "Relance les points d'accueil pour les bons d'orientation restés ouverts trop longtemps."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = remind_open_referrals()
        self.stdout.write(f"{reminded} bon(s) d'orientation relancé(s).")
