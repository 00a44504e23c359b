from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "solidarnum.volunteers"
    label = "volunteers"
    verbose_name = "Bénévoles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import messages  # noqa: F401  -- registers the message to the site's volunteers
