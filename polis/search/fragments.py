"""Render once, serve many: each work's blurb kept in Django's cache per (work, version).

A blurb shows nothing that depends on the viewer (the byline is the same for every reader,
"Anonymous" while a work is anonymous), except the comment and bookmark counts a viewer with
mutes sees lowered (`polis.search.hooks.adjust_counts`): such viewers get blurbs rendered for
them, never from the cache. Which works a listing shows (visibility, restricted, blocklist,
mutes) is the search's answer; a fragment is only ever looked up for a work it listed.

The version is the work's newest row in the change log (`search.WorkChange`), which every
change a blurb shows writes, in the writer's transaction: text, tags, wrangling, creators,
visibility (`indexing.index_works`) and the counters (`indexing.update_stats`). A work whose
rows were trimmed takes the newest trim marker's id, newer than every trimmed row, so a trim
never revives a fragment rendered before a later change. The versions of a page's works are
one query, the fragments one `get_many`; only the misses load full works. See
docs/adr/0016-render-once.md.
"""

import hashlib
from dataclasses import dataclass
from functools import cache as once

from django.conf import settings
from django.core.cache import cache
from django.db.models import BigIntegerField, Case, F, Max, Q, Value, When
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from polis.search.models import WorkChange

BLURB_TEMPLATE = "includes/blurb.html"
_TRIMMED = -1  # the group all trim markers fall in


@dataclass(slots=True)
class Blurb:
    """A listing row served from the cache: the work's id and its rendered blurb."""

    pk: int
    blurb_html: SafeString


@once
def _format() -> str:
    """What else a fragment depends on: the blurb's templates and the static names it links
    (a deploy that changes either starts new keys)."""
    digest = hashlib.sha256()
    for name in (BLURB_TEMPLATE, "includes/byline.html"):
        origin = get_template(name).origin
        with open(origin.name, "rb") as source:
            digest.update(source.read())
    digest.update(static("polis/lock.svg").encode())
    return digest.hexdigest()[:12]


def blurb_key(work_id: int, version: int) -> str:
    return f"blurb:{_format()}:{work_id}:{version}"


def versions(work_ids: list[int]) -> dict[int, int]:
    """Each work's blurb version, in one query (0 for a work the log never named)."""
    if not work_ids:
        return {}
    group = Case(
        When(work_id__lt=0, then=Value(_TRIMMED)),
        default=F("work_id"),
        output_field=BigIntegerField(),
    )
    rows = (
        WorkChange.objects.filter(Q(work_id__in=work_ids) | Q(work_id__lt=0))
        .annotate(group=group)
        .values("group")
        .annotate(version=Max("id"))
        .order_by()
        .values_list("group", "version")
    )
    found = dict(rows)
    trimmed = found.pop(_TRIMMED, 0)
    return {work_id: found.get(work_id, trimmed) for work_id in work_ids}


def render_blurb(work) -> SafeString:
    return mark_safe(render_to_string(BLURB_TEMPLATE, {"work": work}))


def cached_blurbs(work_ids: list[int]) -> list[Blurb]:
    """The blurbs of these works in this order, from the cache where it has them; works gone
    since the search answered are left out."""
    from polis.works.models import Work
    from polis.works.selectors import with_display_data

    keys = {work_id: blurb_key(work_id, version) for work_id, version in versions(work_ids).items()}
    found = cache.get_many(list(keys.values()))
    missing = [work_id for work_id in work_ids if keys[work_id] not in found]
    if missing:
        fresh = {
            keys[work.pk]: str(render_blurb(work))
            for work in with_display_data(Work.objects.filter(pk__in=missing))
        }
        cache.set_many(fresh, timeout=settings.POLIS_FRAGMENT_SECONDS)
        found.update(fresh)
    return [
        Blurb(pk=work_id, blurb_html=mark_safe(found[keys[work_id]]))
        for work_id in work_ids
        if keys[work_id] in found
    ]
