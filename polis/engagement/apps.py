"""App configuration for readers' feedback: kudos, comments, bookmarks, subscriptions, inbox."""

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "polis.engagement"
    label = "engagement"
    verbose_name = "Readers' feedback"
