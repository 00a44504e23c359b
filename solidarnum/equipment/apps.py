from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "solidarnum.equipment"
    label = "equipment"
    verbose_name = "Équipement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The person's file shows the devices reserved for or obtained by them (beneficiaries
        # cannot import equipment: it offers the extension point, equipment fills it).
        from solidarnum.beneficiaries import file_page

        from .selectors import devices_of_beneficiary

        file_page.add_section(
            file_page.Section(
                template_name="equipment/reservations/_file_section.html",
                context=lambda beneficiary: {"devices": devices_of_beneficiary(beneficiary.pk)},
                tab=file_page.EQUIPMENT,
            )
        )
        # Large device files run as background jobs: the common runner and daily purge learn
        # this kind (ADR 0043).
        from solidarnum.common.jobs import runner

        from .imports.jobs import DEVICE_IMPORTS

        runner.register(DEVICE_IMPORTS)
