from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "solidarnum.network"
    label = "network"
