"""Send the référents' weekly digests (run weekly from cron when Celery beat is not used)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.referrals.digest import send_weekly_digests


class Command(BaseCommand):
    help = "Send the weekly referral digest to the référents who asked for it."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_weekly_digests()
        self.stdout.write(
            ngettext("%(n)d récapitulatif envoyé.", "%(n)d récapitulatifs envoyés.", sent)
            % {"n": sent}
        )
