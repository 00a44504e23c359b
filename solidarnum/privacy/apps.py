from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "solidarnum.privacy"
    label = "privacy"
