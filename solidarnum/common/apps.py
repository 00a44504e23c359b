from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "solidarnum.common"
    label = "common"
