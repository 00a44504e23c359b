"""`manage.py reencrypt_codes`: re-encrypt every secret code under the first key of
SOLIDARNUM_CODE_KEYS (ADR 0028). Run it after putting a new key first; once it has finished,
the old key can be removed. Safe to run again: a token already under the first key is rewritten
the same way. Never prints a secret."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarnum.connectivity import crypto
from solidarnum.connectivity.models import Code


class Command(BaseCommand):
    help = "Rechiffre les codes secrets avec la première clé de SOLIDARNUM_CODE_KEYS."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="Codes par transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                codes = list(
                    Code.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(secret_token="")
                    .order_by("pk")
                    .only("pk", "secret_token")[:batch]
                )
                if not codes:
                    break
                try:
                    for code in codes:
                        code.secret_token = crypto.rotate(code.secret_token)
                except crypto.UnreadableSecret:
                    raise CommandError(
                        _(
                            "Le code n° %(pk)s ne se lit avec aucune des clés : remettez "
                            "l'ancienne clé dans SOLIDARNUM_CODE_KEYS. Rien n'a été changé "
                            "pour ce lot."
                        )
                        % {"pk": code.pk}
                    ) from None
                Code.objects.bulk_update(codes, ["secret_token"], batch_size=500)
            done += len(codes)
            last_pk = codes[-1].pk
        self.stdout.write(
            ngettext(
                "%(count)s code secret rechiffré.", "%(count)s codes secrets rechiffrés.", done
            )
            % {"count": done}
        )
