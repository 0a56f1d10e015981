"""A reply chain hundreds deep: pages and the API show five levels at a time, never recursing.

A chain about 240 deep used to overflow the C stack in the API's nested serialisation (the
worker segfaulted); the thread builder and the templates recursed once per level too.
"""

import sys

import pytest
from django.urls import reverse

from polis.engagement.comment_tree import MAX_LEVELS, comment_subtree, work_threads
from polis.engagement.comments import comment_create
from tests.engagement.comment_support import _reply
from tests.works.support import parse

pytestmark = pytest.mark.django_db

DEPTH = 300


@pytest.fixture
def chain(cast):
    """A 300-deep chain of replies, two readers taking turns, built with the real action."""
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Level 1")
    comments = [comment]
    for level in range(2, DEPTH + 1):
        author = "creator" if level % 2 else "other"
        comments.append(_reply(people, author, comments[-1], f"Level {level}"))
    return work, comments


def _levels(page) -> list[str]:
    return page.texts("li.comment blockquote.userstuff")


def test_a_300_deep_chain_renders_five_levels_a_page_and_every_page_leads_on(chain, client):
    work, comments = chain

    response = client.get(work.get_absolute_url())

    assert response.status_code == 200
    page = parse(response)
    assert _levels(page) == [f"Level {n}" for n in range(1, 6)]
    assert [a.get("href") for a in page.select("p.continue a")] == [f"/comments/{comments[4].pk}"]
    seen: list[str] = []
    url = reverse("engagement:comment", kwargs={"comment_id": comments[0].pk})
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = parse(response)
        levels = _levels(page)
        assert len(levels) <= MAX_LEVELS
        # Each page starts at the comment the previous page ended on.
        seen.extend(levels if not seen else levels[1:])
        links = [a.get("href") for a in page.select("p.continue a")]
        url = links[0] if links else None
        pages += 1
    assert seen == [f"Level {n}" for n in range(1, DEPTH + 1)]
    assert pages == 75  # 300 levels, four new ones on every page after the first
    response = client.get(reverse("engagement:comment", kwargs={"comment_id": comments[-1].pk}))

    assert response.status_code == 200
    assert _levels(parse(response)) == [f"Level {DEPTH}"]


def _api_levels(body: dict) -> tuple[list[str], dict]:
    """The contents down the only branch of a nested answer, and its deepest comment."""
    levels, node = [body["content"]], body
    while node["replies"]:
        [node] = node["replies"]
        levels.append(node["content"])
    return levels, node


def test_the_api_nests_five_levels_and_its_continue_urls_walk_the_whole_chain(chain, api_for):
    work, comments = chain
    api = api_for(None)

    listing = api.get(f"/works/{work.pk}/comments")

    assert listing.status_code == 200
    [thread] = listing.json()["results"]
    levels, deepest = _api_levels(thread)
    assert levels == [f"<p>Level {n}</p>" for n in range(1, 6)]
    assert deepest["id"] == comments[4].pk
    assert deepest["has_more_replies"] is True
    assert deepest["continue_url"] == f"http://testserver/api/v1/comments/{comments[4].pk}"
    assert thread["has_more_replies"] is False and thread["continue_url"] is None
    seen: list[str] = []
    path: str | None = f"/comments/{comments[0].pk}"
    while path:
        response = api.get(path)
        assert response.status_code == 200
        levels, deepest = _api_levels(response.json())
        assert len(levels) <= MAX_LEVELS
        seen.extend(levels if not seen else levels[1:])
        url = deepest["continue_url"]
        path = url.removeprefix("http://testserver/api/v1") if url else None
    assert seen == [f"<p>Level {n}</p>" for n in range(1, DEPTH + 1)]


def test_building_threads_uses_no_stack_per_level(chain, cast):
    """All 300 levels at once, with far less stack than levels: the builder is iterative."""
    people, work = cast
    _, comments = chain
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(_frames()) + 200)
    try:
        node, _ = comment_subtree(people["other"], comments[0], max_levels=DEPTH)
        _, nodes, _ = work_threads(people["other"], work, max_levels=DEPTH)
    finally:
        sys.setrecursionlimit(limit)
    depth = 0
    for start in (node, nodes[0]):
        depth, current = 1, start
        while current.children:
            [current] = current.children
            depth += 1
        assert depth == DEPTH


def _frames() -> list:
    frames, frame = [], sys._getframe()
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames
