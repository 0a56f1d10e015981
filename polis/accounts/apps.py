"""App configuration for users, pseuds and invitations."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "polis.accounts"
    label = "accounts"
