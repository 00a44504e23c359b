from typing import Any

from django.core.management.base import BaseCommand

from solidarnum.beneficiaries.tasks import anonymise_personal_data


class Command(BaseCommand):
    help = "Anonymise les orientations closes et les dossiers sortis depuis plus de 2 ans."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = anonymise_personal_data()
        self.stdout.write(
            f"{counts['referrals']} orientation(s) et {counts['beneficiaries']} dossier(s) "
            "anonymisé(s)."
        )
