from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "solidarnum.sales"
    label = "sales"
    verbose_name = "Caisse"
    default_auto_field = "django.db.models.BigAutoField"
