from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "solidarnum.common"
    label = "common"

    def ready(self) -> None:
        from . import links  # noqa: F401 (registers the system check)
        from .jobs import purge  # noqa: F401 (registers the check of job models and kinds)
