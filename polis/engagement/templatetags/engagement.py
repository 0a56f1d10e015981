"""Template tags that put readers' feedback on work pages without growing the work views.

Each tag asks the engagement selectors for what one part of the page shows; the work view
itself only records the reading (hit and history).
"""

from django import template
from django.urls import reverse

from polis.engagement.bookmarks import bookmark_of, viewer_bookmark_count
from polis.engagement.comment_tree import (
    CommentNode,
    flatten,
    held_comments,
    viewer_comment_count,
    work_threads,
)
from polis.engagement.identity import guest_key
from polis.engagement.kudos import chapter_kudos_count, has_left_kudos, kudos_summary
from polis.engagement.reading import reading_of
from polis.engagement.subscriptions import subscription_to
from polis.works.series import series_parts

register = template.Library()


def _kudos_parts(summary) -> list[dict]:
    parts = [
        {"text": name, "url": reverse("accounts:user", kwargs={"username": name})}
        for name in summary.usernames
    ]
    return parts + [{"text": text, "url": ""} for text in summary.parts[len(parts) :]]


def _pseuds_to_choose(viewer) -> list:
    """A commenter with several pseuds chooses one; with one there is nothing to choose."""
    if not viewer.is_authenticated:
        return []
    pseuds = list(viewer.pseuds.order_by("-is_default", "name"))
    return pseuds if len(pseuds) > 1 else []


@register.inclusion_tag("engagement/includes/feedback.html", takes_context=True)
def work_feedback(context) -> dict:
    """Kudos and comments under a work or chapter."""
    request = context["request"]
    work = context["work"]
    viewer = request.user
    chapter = context.get("current") if context.get("multi") and not context.get("full") else None
    page, threads, ctx = work_threads(
        viewer, work, chapter=chapter, page_number=request.GET.get("page", 1)
    )
    summary = kudos_summary(work)
    return {
        "request": request,
        "user": viewer,
        "csrf_token": context.get("csrf_token"),
        "work": work,
        "chapter": chapter,
        "is_creator": context.get("is_creator", False),
        "kudos_parts": _kudos_parts(summary),
        "chapter_kudos": chapter_kudos_count(chapter) if chapter else None,
        "kudos_left": has_left_kudos(viewer, work, chapter, guest_key(request)),
        "threads": threads,
        "comment_page": page,
        "ctx": ctx,
        "comment_count": viewer_comment_count(viewer, work),
        "pseuds": _pseuds_to_choose(viewer),
    }


@register.inclusion_tag("engagement/includes/work_actions.html", takes_context=True)
def work_actions(context) -> dict:
    """Bookmark, subscribe, Mark for Later and the creators' links, in the work's action bar."""
    request = context["request"]
    work = context["work"]
    viewer = request.user
    is_creator = context.get("is_creator", False)
    data = {
        "request": request,
        "user": viewer,
        "csrf_token": context.get("csrf_token"),
        "work": work,
        "is_creator": is_creator,
    }
    if viewer.is_authenticated and work.posted:
        reading = reading_of(viewer, work)
        data["bookmark"] = bookmark_of(viewer, work)
        data["subscription"] = subscription_to(viewer, work)
        data["later"] = bool(reading and reading.later)
    if is_creator:
        data["held"] = held_comments(work).count()
    return data


@register.simple_tag(takes_context=True)
def series_of_work(context, work) -> list:
    """ "Part N of Series" for each series the work is in."""
    return series_parts(context["request"].user, work)


@register.simple_tag(takes_context=True)
def viewer_counts(context, work) -> dict:
    """The work's comment and bookmark counts without what the viewer muted."""
    request = context.get("request")
    if request is None:
        return {"comments": work.comment_count, "bookmarks": work.bookmark_count}
    return {
        "comments": viewer_comment_count(request.user, work),
        "bookmarks": viewer_bookmark_count(request.user, work),
    }


@register.filter
def comment_rows(nodes: CommentNode | list[CommentNode]) -> list:
    """Threads in reading order, each comment with the threads that close after it."""
    return flatten([nodes] if isinstance(nodes, CommentNode) else list(nodes))
