from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from solidarnum.beneficiaries.tasks import anonymise_personal_data


class Command(BaseCommand):
    help = "Anonymise les orientations closes et les dossiers sortis depuis plus de 2 ans."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = anonymise_personal_data()
        referrals, files = counts["referrals"], counts["beneficiaries"]
        self.stdout.write(
            ngettext("%(n)d orientation anonymisée", "%(n)d orientations anonymisées", referrals)
            % {"n": referrals}
            + ", "
            + ngettext("%(n)d dossier anonymisé.", "%(n)d dossiers anonymisés.", files)
            % {"n": files}
        )
