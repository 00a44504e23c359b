from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "solidarnum.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import checks, mfa, signals  # noqa: F401


class SolidarnumAdminConfig(admin_apps.AdminConfig):
    """The Django admin with its login sent to the common login and second factor."""

    default = False  # named explicitly in INSTALLED_APPS; AccountsConfig stays this app's config
    default_site = "solidarnum.accounts.admin_site.SolidarnumAdminSite"
