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
        _register_periodic_jobs()

        from polis.core import doctor
        from polis.engagement.doctor import check_counters

        doctor.register("counters", check_counters)


def _register_periodic_jobs() -> None:
    """Run by the task worker (polis.core.periodic), not on the request path."""
    from django.conf import settings

    from polis.core import periodic
    from polis.engagement import digests, hits

    # Shared hit queues (Redis, a shared cache) are flushed here even when no reader comes;
    # a process-local queue is flushed by its own process (see hits._install_exit_flush).
    periodic.register(
        "hits.flush", every=lambda: settings.POLIS_HITS_FLUSH_SECONDS, run=hits.hits_flush
    )
    periodic.register(
        "digests.send",
        every=lambda: (settings.POLIS_DIGEST_MINUTES or 10**6) * 60,
        run=lambda: settings.POLIS_DIGEST_MINUTES and digests.digests_send(),
    )
