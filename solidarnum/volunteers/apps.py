from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "solidarnum.volunteers"
    label = "volunteers"
    verbose_name = "Bénévoles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The message to a site's volunteers; the agenda's proposer and checker (support
        # cannot import volunteers: it offers the extension point, volunteers fills it).
        from . import messages  # noqa: F401
        from .staffing import register

        register()
