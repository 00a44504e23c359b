from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "solidarnum.equipment"
    label = "equipment"
    verbose_name = "Équipement"
    default_auto_field = "django.db.models.BigAutoField"
