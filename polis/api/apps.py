from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "polis.api"
    label = "api"

    def ready(self) -> None:
        from polis.accounts.hooks import register_password_changed
        from polis.api.actions import revoke_on_password_change

        register_password_changed(revoke_on_password_change)
