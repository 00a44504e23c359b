from django.apps import AppConfig


class ConnectivityConfig(AppConfig):
    name = "solidarnum.connectivity"
    label = "connectivity"
    verbose_name = "Connexion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The person's file lists the cards and codes the person obtained (never a secret):
        # beneficiaries offers the extension point, connectivity fills it.
        from solidarnum.beneficiaries import file_page, retention

        from .mediation.selectors import of_beneficiary
        from .retention import forget_notes_of_files, forget_old_relay_buyers
        from .selectors import codes_of_beneficiary

        file_page.add_section(
            file_page.Section(
                template_name="connectivity/codes/_file_section.html",
                context=lambda beneficiary: {"codes": codes_of_beneficiary(beneficiary.pk)},
                tab=file_page.EQUIPMENT,
            )
        )
        file_page.add_section(
            file_page.Section(
                template_name="connectivity/mediation/_file_section.html",
                context=lambda beneficiary: of_beneficiary(beneficiary.pk),
                tab=file_page.EQUIPMENT,
            )
        )
        # A partner structure's page lists the packs maraude it received.
        from solidarnum.network import partner_page

        from .packs.selectors import partner_section

        partner_page.add_section(
            partner_page.Section(
                template_name="connectivity/packs/_partner_section.html", context=partner_section
            )
        )
        # The daily anonymisation forgets relay buyers' first names and what staff wrote about
        # an anonymised person's plan and disputes.
        retention.register(
            retention.Keeper(
                "connectivity", expired=forget_old_relay_buyers, of_files=forget_notes_of_files
            )
        )
        # Large delivery files run as background jobs: the common runner and daily purge learn
        # this kind (ADR 0043).
        from solidarnum.common.jobs import runner

        from .deliveries.jobs import DELIVERY_IMPORTS

        runner.register(DELIVERY_IMPORTS)
