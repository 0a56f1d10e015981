from django.apps import AppConfig


class OpdsConfig(AppConfig):
    name = "polis.opds"
    label = "opds"
