"""Background work of collections: potential matches, and reveals that fall due."""

from django_tasks import task


@task()
def generate_potential_matches(challenge_id: int) -> int:
    """Compute a gift exchange's potential matches; progress is written on the challenge."""
    from polis.collections.actions.matching import matching_run

    return matching_run(challenge_id)


@task()
def reveal_due_collections() -> list[str]:
    """Reveal collections whose reveal time has passed (run by `polis reveal_due` or cron)."""
    from polis.collections.actions.collections import reveal_due

    return reveal_due()
