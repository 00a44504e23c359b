from typing import Any

from django.core.management.base import BaseCommand

from solidarnum.api.tasks import purge_idempotency_keys


class Command(BaseCommand):
    help = "Supprime les clés d'idempotence de l'API de plus de 24 heures."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_idempotency_keys()
        self.stdout.write(f"{count} clé(s) d'idempotence supprimée(s).")
