"""The Atom feed of a tag: its latest public works, the same for every reader.

A feed is fetched by readers' feed apps without an account, cached and passed around, so it
lists only what anyone may read: posted, unrestricted works (never drafts), whoever asks.
It lists what the tag's works page lists a logged-out reader, newest first: the same
`work_search` with the tag's scope.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from polis.search.query import Sort, WorkFilter
from polis.search.service import tag_scope, work_search
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_to_url
from polis.works.models import Work, creator_pseuds, tags_of_type
from polis.works.visibility import ANONYMOUS, can_see_creators

FEED_TYPES = frozenset({TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP})
FEED_LENGTH = 25


def has_feed(tag: Tag) -> bool:
    """AO3 offers feeds for canonical fandoms, characters and relationships only."""
    return tag.canonical and tag.type in FEED_TYPES


def tag_feed_url(tag: Tag) -> str:
    return reverse("feeds:tag", kwargs={"name": tag_to_url(tag.name)})


@dataclass(frozen=True)
class FeedAuthor:
    name: str
    url: str | None = None


def feed_authors(work: Work) -> list[FeedAuthor]:
    """Who a feed entry names as its author(s): the one place that decides.

    It asks the one rule (`polis.works.visibility`), so a feed can never name someone the
    work page does not.
    """
    if not can_see_creators(work):
        return [FeedAuthor(name=ANONYMOUS)]
    return [
        FeedAuthor(
            name=pseud.name
            if pseud.name == pseud.user.username
            else f"{pseud.name} ({pseud.user.username})",
            url=pseud.get_absolute_url(),
        )
        for pseud in creator_pseuds(work)
    ]


def latest_public_works(tag: Tag) -> list[Work]:
    """The newest posted, public works in the tag's filter set (synonyms and sub tags too)."""
    results = work_search(
        viewer=AnonymousUser(),
        f=WorkFilter(**tag_scope(tag), sort=Sort.POSTED),
        per_page=FEED_LENGTH,
        with_facets=False,
    )
    return list(results.page.object_list)


class MultiAuthorAtomFeed(Atom1Feed):
    """Atom allows several <author> elements per entry; Django's writes one."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for author in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", author.name)
            if author.url:
                handler.addQuickElement("uri", author.url)
            handler.endElement("author")


class TagWorksFeed(Feed):
    feed_type = MultiAuthorAtomFeed
    description_template = "feeds/work_entry.html"

    def get_object(self, request: HttpRequest, tag: Tag) -> Tag:
        return tag

    def title(self, tag: Tag) -> str:
        return f"{settings.SITE_NAME}: works in {tag.name}"

    def subtitle(self, tag: Tag) -> str:
        return f"The latest works in {tag.name}."

    def link(self, tag: Tag) -> str:
        return tag.get_works_url()

    def feed_url(self, tag: Tag) -> str:
        return tag_feed_url(tag)

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self, tag: Tag) -> list[Work]:
        return latest_public_works(tag)

    def item_title(self, work: Work) -> str:
        return work.title

    def item_link(self, work: Work) -> str:
        return work.get_absolute_url()

    def item_pubdate(self, work: Work) -> datetime.datetime:
        return datetime.datetime.combine(work.published_at, datetime.time.min, tzinfo=datetime.UTC)

    def item_updateddate(self, work: Work) -> datetime.datetime:
        return work.revised_at

    def item_categories(self, work: Work) -> list[str]:
        return [
            tag.name
            for tag_type in (
                TagType.FANDOM,
                TagType.RELATIONSHIP,
                TagType.CHARACTER,
                TagType.FREEFORM,
            )
            for tag in tags_of_type(work, tag_type)
        ]

    def item_extra_kwargs(self, work: Work) -> dict:
        return {"authors": feed_authors(work)}

    def get_context_data(self, **kwargs) -> dict:
        # The entry's text names its authors through the same rule as its <author> elements.
        return {**super().get_context_data(**kwargs), "authors": feed_authors(kwargs["item"])}
