"""`manage.py seed_demo`: create or refresh the demo network and demo accounts.

Idempotent: run it as often as you like (`make run` does, on every start).
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from solidarnum.accounts.demo import DEMO_PASSWORD, seed_users
from solidarnum.connectivity.demo import seed_connectivity
from solidarnum.connectivity.demo import summary as connectivity_summary
from solidarnum.equipment.demo import seed_equipment
from solidarnum.equipment.demo import summary as equipment_summary
from solidarnum.network.demo import seed_network
from solidarnum.referrals.demo import REFERRAL_COUNT, seed_referrals
from solidarnum.sales.demo import seed_sales
from solidarnum.support.demo import seed_support
from solidarnum.volunteers.demo import seed_volunteers


class Command(BaseCommand):
    help = "Crée ou met à jour les données et les comptes de démonstration."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise l'exécution hors du mode debug (comptes au mot de passe public).",
        )
        parser.add_argument(
            "--referrals",
            type=int,
            default=REFERRAL_COUNT,
            help="Nombre de bons d'orientation de démonstration (créés une seule fois).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts share a public password, one of them is a superuser.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Les données de démonstration créent des comptes au mot de passe public : "
                    "lancez cette commande en mode debug (DJANGO_DEBUG=1) ou avec --force."
                )
            )
        with transaction.atomic():
            network = seed_network()
            rows = seed_users(network)
            referrals = seed_referrals(network, count=options["referrals"])
            seed_equipment(network)
            seed_connectivity(network)
            sales = seed_sales(network)
            support = seed_support(network)
            volunteers = seed_volunteers(network)
            # Counted last: the till and the packs take devices and codes from the stock.
            equipment = equipment_summary()
            connectivity = connectivity_summary()

        self.stdout.write(self.style.SUCCESS(_("Données de démonstration prêtes.")))
        self.stdout.write(
            _("%(referrals)s bons d'orientation, %(beneficiaries)s dossiers de bénéficiaires.")
            % {"referrals": referrals["referrals"], "beneficiaries": referrals["beneficiaries"]}
        )
        self.stdout.write(
            _("%(devices)s appareils donnés (%(available)s disponibles), %(donations)s dons.")
            % {
                "devices": equipment["devices"],
                "available": equipment["available"],
                "donations": equipment["donations"],
            }
        )
        self.stdout.write(
            _("%(codes)s cartes SIM et codes de recharge (%(in_stock)s en stock).")
            % {"codes": connectivity["codes"], "in_stock": connectivity["in_stock"]}
        )
        self.stdout.write(
            _("%(sales)s ventes à la caisse, %(sessions)s sessions dont %(open)s ouvertes.") % sales
        )
        self.stdout.write(
            _(
                "%(appointments)s permanences connectées, %(records)s comptes-rendus, "
                "%(workshops)s ateliers, %(cohorts)s groupes de parcours."
            )
            % support
        )
        self.stdout.write(
            _(
                "%(volunteers)s bénévoles, %(hours)s déclarations d'heures, "
                "%(trainings)s formations."
            )
            % volunteers
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                _("Comptes de démonstration (mot de passe : %(password)s)")
                % {"password": DEMO_PASSWORD}
            )
        )
        # E-mails first: they are short, so the columns stay aligned even with long labels.
        width = max(len(email) for _label, email, _password in rows)
        for label, email, _password in rows:
            self.stdout.write(f"  {email.ljust(width)}  {label}")
