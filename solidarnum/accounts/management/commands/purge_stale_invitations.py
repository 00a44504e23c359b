from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.accounts.tasks import purge_stale_invitations


class Command(BaseCommand):
    help = "Supprime les invitations jamais utilisées, expirées ou annulées depuis longtemps."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_stale_invitations()
        self.stdout.write(
            ngettext("%(n)d invitation supprimée.", "%(n)d invitations supprimées.", deleted)
            % {"n": deleted}
        )
