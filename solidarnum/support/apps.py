from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "solidarnum.support"
    label = "support"
    verbose_name = "Accompagner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidarnum.beneficiaries import file_page
        from solidarnum.notifications import staleness

        # The message templates of appointments register when the module loads.
        from .agenda.selectors import upcoming_for_file
        from .reminders import appointment_fingerprint
        from .selectors import file_section

        # A message about an appointment moved or cancelled since it was queued is not sent.
        staleness.register("support.appointment", appointment_fingerprint)
        # The person's file lists their coming sessions and offers to book one.
        file_page.add_upcoming(upcoming_for_file)
        file_page.add_section(
            file_page.Section(template_name="support/_file_section.html", context=file_section)
        )
