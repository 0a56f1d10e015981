from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "polis.feeds"
    label = "feeds"
