from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "solidarnum.notifications"
    label = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The person's file shows what sending learnt about their contact (beneficiaries cannot
        # import notifications: it offers the extension point, notifications fills it).
        from solidarnum.accounts import mail
        from solidarnum.beneficiaries import file_page, retention

        from .notify import send_account_email
        from .selectors import contact_warnings
        from .tasks import forget_contacts_of_files, forget_old_doubtful_phones

        file_page.add_section(
            file_page.Section(
                template_name="notifications/_file_section.html",
                context=contact_warnings,
                tab=file_page.MESSAGES,
            )
        )
        # accounts cannot import notifications: it offers a sender registry, filled here, so
        # that invitations go through notify (the delivery log, the fallback provider).
        mail.register_sender(send_account_email)
        # E-mail delivery reports: anymail's tracking webhooks send its signal.
        from anymail.signals import tracking

        from .email_tracking import on_tracking

        tracking.connect(on_tracking, dispatch_uid="solidarnum.notifications.email_tracking")
        # The daily anonymisation forgets what messages learnt about the files it anonymises.
        retention.register(
            retention.Keeper(
                "notifications",
                expired=forget_old_doubtful_phones,
                of_files=forget_contacts_of_files,
            )
        )
