from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.equipment.tasks import expire_device_reservations


class Command(BaseCommand):
    help = "Remet en vente les appareils dont la réservation a expiré."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_device_reservations()
        self.stdout.write(
            ngettext("%(n)d réservation expirée.", "%(n)d réservations expirées.", count)
            % {"n": count}
        )
