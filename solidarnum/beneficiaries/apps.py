from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "solidarnum.beneficiaries"
    label = "beneficiaries"
