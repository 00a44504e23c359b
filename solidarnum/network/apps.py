from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "solidarnum.network"
    label = "network"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system checks)
