from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "solidarnum.support"
    label = "support"
    verbose_name = "Accompagner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidarnum.beneficiaries import file_page, reach
        from solidarnum.notifications import staleness

        # The message templates (appointments, the survey) register when their modules load.
        from .agenda.selectors import upcoming_for_file
        from .reach import accompanied_by
        from .reminders import appointment_fingerprint
        from .satisfaction import services as satisfaction
        from .selectors import file_section

        del satisfaction

        # A message about an appointment moved or cancelled since it was queued is not sent.
        staleness.register("support.appointment", appointment_fingerprint)
        # The person's file lists their coming sessions and offers to book one.
        file_page.add_upcoming(upcoming_for_file)
        file_page.add_section(
            file_page.Section(
                template_name="support/_file_section.html",
                context=file_section,
                tab=file_page.SUPPORT,
            )
        )
        # A volunteer sees the reduced file of the people they accompany, and of them only.
        reach.register(accompanied_by)
