from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "solidarnum.api"
    label = "api"
