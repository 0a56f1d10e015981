"""App configuration for readers' feedback: kudos, comments, bookmarks, subscriptions, inbox."""

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "polis.engagement"
    label = "engagement"
    verbose_name = "Readers' feedback"

    def ready(self) -> None:
        # Lower apps ask through hooks they own; they never import engagement
        # (see docs/adr/0003-hooks-between-apps.md).
        from polis.engagement.hooks import register

        register()
