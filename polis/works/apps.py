from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "polis.works"
    label = "works"
