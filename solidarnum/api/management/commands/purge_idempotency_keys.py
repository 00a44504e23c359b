from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.api.tasks import purge_idempotency_keys


class Command(BaseCommand):
    help = "Supprime les clés d'idempotence de l'API de plus de 24 heures."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_idempotency_keys()
        self.stdout.write(
            ngettext(
                "%(n)d clé d'idempotence supprimée.", "%(n)d clés d'idempotence supprimées.", count
            )
            % {"n": count}
        )
