"""The REST API app; it drops an account's tokens when the account's access is revoked."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polis.api"
    label = "api"

    def ready(self) -> None:
        from polis.accounts.standing import access_revoked
        from polis.api.actions import tokens_revoke_all

        access_revoked.connect(tokens_revoke_all, dispatch_uid="polis.api.tokens_revoke_all")
