"""Collections' answers to the hooks of lower apps, registered by `CollectionsConfig.ready`.

Works and search sit below collections and never import it; they own small hooks
(docs/adr/0003-hooks-between-apps.md) and collections plugs into them here:

- `polis.works.policies`: unrevealed works are hidden from listings and their pages (except
  from their creators and the collection's maintainers); anonymous works' bylines name no one;
- `polis.search.hooks`: unrevealed works stay out of the index, anonymous works' creators
  are never indexed and never match a creator search.

The posting form's collection and gift fields are registered separately
(`polis.collections.posting`).
"""

from polis.search import hooks as search_hooks
from polis.works import policies


def register() -> None:
    from polis.collections.access import hide_unrevealed
    from polis.collections.anonymity import (
        anonymous_sql,
        anonymous_work_ids,
        byline_pseuds,
        unrevealed_hidden_from,
        unrevealed_work_ids,
    )

    policies.register_visibility(hide_works=hide_unrevealed, hidden_from=unrevealed_hidden_from)
    policies.register_byline(byline_pseuds)
    search_hooks.register_concealment(
        unlisted_work_ids=unrevealed_work_ids,
        anonymous_work_ids=anonymous_work_ids,
        anonymous_sql=anonymous_sql,
    )
