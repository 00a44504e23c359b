from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.referrals.tasks import expire_open_referrals


class Command(BaseCommand):
    help = "Fait expirer les bons d'orientation restés sans décision trop longtemps."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_open_referrals()
        self.stdout.write(
            ngettext(
                "%(n)d bon d'orientation expiré.", "%(n)d bons d'orientation expirés.", expired
            )
            % {"n": expired}
        )
