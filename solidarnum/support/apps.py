from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "solidarnum.support"
    label = "support"
    verbose_name = "Accompagner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidarnum.notifications import staleness

        # The message templates of appointments register when the module loads.
        from .reminders import appointment_fingerprint

        # A message about an appointment moved or cancelled since it was queued is not sent.
        staleness.register("support.appointment", appointment_fingerprint)
