from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "solidarnum.support"
    label = "support"
    verbose_name = "Accompagner"
    default_auto_field = "django.db.models.BigAutoField"
