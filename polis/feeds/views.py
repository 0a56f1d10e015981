"""`/tags/NAME/feed.atom`: a canonical fandom, character or relationship's latest works."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from polis.feeds.feeds import TagWorksFeed, has_feed, tag_feed_url
from polis.tags.access import access_tag


def tag_feed(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(request.user, name)
    if tag.merger_id and has_feed(tag.merger):
        # Feed readers update a moved feed's address on a permanent redirect.
        return redirect(tag_feed_url(tag.merger), permanent=True)
    if not has_feed(tag):
        raise Http404("Only canonical fandoms, characters and relationships have feeds.")
    return TagWorksFeed()(request, tag=tag)
