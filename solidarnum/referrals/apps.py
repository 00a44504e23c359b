from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "solidarnum.referrals"
    label = "referrals"
