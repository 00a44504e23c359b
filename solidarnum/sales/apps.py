from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "solidarnum.sales"
    label = "sales"
    verbose_name = "Caisse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The person's file shows what they bought at the till and the purchasing power
        # injected: beneficiaries offers the extension point, sales fills it.
        from solidarnum.beneficiaries import file_page
        from solidarnum.connectivity import permissions as code_permissions

        from .permissions import can_sell
        from .selectors import person_sales, purchasing_power_of

        # Who sells codes at a site is the till's rule (staff, volunteers with the till right):
        # connectivity's take_next_code and secret_for_receipt ask it.
        code_permissions.register_seller_rule(can_sell)

        def context(beneficiary):
            paid, saving = purchasing_power_of(beneficiary.pk)
            return {"sales": person_sales(beneficiary.pk)[:10], "paid": paid, "saving": saving}

        file_page.add_section(
            file_page.Section(
                template_name="sales/_file_section.html", context=context, tab=file_page.EQUIPMENT
            )
        )
