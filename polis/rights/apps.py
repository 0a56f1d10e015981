from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The rights of an account: deleting it and exporting its data (orphaning is works')."""

    name = "polis.rights"
    label = "rights"
    verbose_name = "Account rights"
