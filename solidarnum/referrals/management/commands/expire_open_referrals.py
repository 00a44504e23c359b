from typing import Any

from django.core.management.base import BaseCommand

from solidarnum.referrals.tasks import expire_open_referrals


class Command(BaseCommand):
    help = "Fait expirer les bons d'orientation restés sans décision trop longtemps."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_open_referrals()
        self.stdout.write(f"{expired} bon(s) d'orientation expiré(s).")
