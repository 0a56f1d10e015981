from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "polis.search"
    label = "search"
