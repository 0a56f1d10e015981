"""Engagement's answers to the hooks of lower apps, registered by `EngagementConfig.ready`.

Accounts, works and search sit below engagement and never import it; they own small hooks
(docs/adr/0003-hooks-between-apps.md) and engagement plugs into them here:

- `polis.accounts.hooks`: whom a viewer has muted (mutes live in engagement);
- `polis.works.events`: a work or chapter posted or a work added to a series queues
  subscription notices; a deleted chapter recounts the work's kudos and comments; a work
  page shown counts the hit and notes the reading history;
- `polis.search.hooks`: listings show comment and bookmark counts less muted users' share.
"""

from polis.accounts import hooks as accounts_hooks
from polis.search import hooks as search_hooks
from polis.works import events
from polis.works.models import Work


def _recount_after_chapter_deleted(work: Work) -> None:
    from polis.engagement.comments import comments_recount
    from polis.engagement.kudos import kudos_recount

    kudos_recount(work.pk)
    comments_recount(work.pk)


def register() -> None:
    from polis.engagement.counts import hide_muted_counts
    from polis.engagement.reading import record_reading
    from polis.engagement.relations import muted_user_ids
    from polis.engagement.tasks import (
        after_chapter_posted,
        after_series_addition,
        after_work_posted,
    )

    accounts_hooks.register_muted_user_ids(muted_user_ids)
    events.on_work_posted(after_work_posted)
    events.on_chapter_posted(after_chapter_posted)
    events.on_series_work_added(after_series_addition)
    events.on_chapter_deleted(_recount_after_chapter_deleted)
    events.on_work_viewed(record_reading)
    search_hooks.register_count_adjustment(hide_muted_counts)
