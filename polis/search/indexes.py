"""The archive's indexes for finding one's way: media and their fandoms, and languages, with
how many works this viewer may see listed under each (AO3's /media, /media/…/fandoms and
"Works in Other Languages").

Counts are those of the listings they link to: listed works (posted, not hidden, not
unrevealed), restricted ones only for logged-in readers (`polis.works.visibility`). A fandom
or a language with nothing this viewer may see is left out, so an index never names what
only hidden works carry. They depend on nothing else about the viewer, so each is cached per
(logged in or not, newest change-log id): a change is counted on the next request, in
every process, and an idle archive answers from the cache.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse

from polis.accounts.hooks import Viewer
from polis.search.models import WorkChange
from polis.search.tag_search import tag_work_counts
from polis.tags.models import Tag, TagParent, TagType
from polis.tags.names import tag_to_url
from polis.works.languages import LANGUAGE_NAMES
from polis.works.visibility import listed_works, visible_q

# How many fandoms each media shows on /media (AO3 shows its five biggest).
TOP_FANDOMS = 5
UNCATEGORIZED = "Uncategorized Fandoms"


@dataclass(frozen=True)
class Counted:
    name: str
    count: int
    url: str
    code: str = ""  # a language's code


@dataclass
class MediaEntry:
    name: str
    url: str | None  # its fandom index; None for the uncategorized group
    fandoms: list[Counted] = field(default_factory=list)  # every fandom, by name

    @property
    def top(self) -> list[Counted]:
        return sorted(self.fandoms, key=lambda f: (-f.count, f.name.casefold()))[:TOP_FANDOMS]

    @property
    def total(self) -> int:
        return len(self.fandoms)


def _mark() -> int:
    return WorkChange.objects.aggregate(mark=Max("id"))["mark"] or 0


def _cached(name: str, viewer: Viewer, build):
    key = f"index:{name}:{int(viewer.is_authenticated)}:{_mark()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, 24 * 3600)
    return value


def _counted(viewer: Viewer, fandoms: list[Tag]) -> dict[int, Counted]:
    """Tag id → its entry, for the fandoms with works this viewer may see."""
    counts = tag_work_counts(viewer, fandoms)
    return {
        tag.pk: Counted(tag.name, counts[tag.pk], tag.get_works_url())
        for tag in fandoms
        if counts.get(tag.pk)
    }


def media_index(viewer: Viewer) -> list[MediaEntry]:
    """Every canonical media with the fandoms under it, then the fandoms under none."""

    def build() -> list[MediaEntry]:
        media = list(Tag.objects.filter(type=TagType.MEDIA, canonical=True).order_by("key"))
        fandoms = list(Tag.objects.filter(type=TagType.FANDOM, canonical=True))
        counted = _counted(viewer, fandoms)
        under: dict[int, list[Counted]] = {m.pk: [] for m in media}
        placed: set[int] = set()
        links = TagParent.objects.filter(parent__in=media, child__in=fandoms)
        for parent_id, child_id in links.values_list("parent_id", "child_id"):
            placed.add(child_id)
            if child_id in counted:
                under[parent_id].append(counted[child_id])
        entries = [MediaEntry(m.name, media_fandoms_url(m), _sorted(under[m.pk])) for m in media]
        loose = [entry for pk, entry in counted.items() if pk not in placed]
        entries.append(MediaEntry(UNCATEGORIZED, None, _sorted(loose)))
        return [entry for entry in entries if entry.fandoms]

    return _cached("media", viewer, build)


def media_fandoms(viewer: Viewer, media: Tag) -> list[Counted]:
    """The fandoms under one media, by name, with their counts."""

    def build() -> list[Counted]:
        fandoms = Tag.objects.filter(
            type=TagType.FANDOM, canonical=True, parent_links__parent=media
        ).distinct()
        return _sorted(_counted(viewer, list(fandoms)).values())

    return _cached(f"media-{media.pk}", viewer, build)


def language_counts(viewer: Viewer) -> list[Counted]:
    """Each language that has works this viewer may see, by its name, with the count."""

    def build() -> list[Counted]:
        rows = (
            listed_works()
            .filter(visible_q(viewer))
            .values("language")
            .annotate(n=Count("pk"))
            .order_by()
        )
        works = reverse("works:index")
        return _sorted(
            Counted(
                LANGUAGE_NAMES.get(row["language"], row["language"]),
                row["n"],
                f"{works}?{urlencode({'work_search[language_id]': row['language']})}",
                row["language"],
            )
            for row in rows
            if row["n"]
        )

    return _cached("languages", viewer, build)


def media_fandoms_url(media: Tag) -> str:
    return reverse("search:media_fandoms", kwargs={"name": tag_to_url(media.name)})


def _sorted(entries) -> list[Counted]:
    return sorted(entries, key=lambda c: c.name.casefold())
