from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "polis.accounts"
    label = "accounts"
