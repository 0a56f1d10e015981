"""The REST API app; it drops an account's tokens when the account's access is revoked."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polis.api"
    label = "api"

    def ready(self) -> None:
        from polis.accounts.hooks import register_password_changed
        from polis.api.actions import revoke_on_password_change

        register_password_changed(revoke_on_password_change)

        from polis.accounts.standing import access_revoked
        from polis.api.actions import revoke_on_ban

        access_revoked.connect(revoke_on_ban, dispatch_uid="polis.api.revoke_on_ban")
