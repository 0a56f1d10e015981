"""Routes for readers' feedback, in AO3's shapes where AO3 has them."""

from django.urls import path

from polis.engagement.views import (
    bookmark_search,
    bookmarks,
    comments,
    inbox,
    kudos,
    people,
    readers,
    similar,
)

app_name = "engagement"

W = "works/<int:work_id>"
C = "comments/<int:comment_id>"
U = "users/<str:username>"

urlpatterns = [
    # kudos
    path(f"{W}/kudos", kudos.kudos_create, name="kudos"),
    # similar works (polis/engagement/similar.py)
    path(f"{W}/similar", similar.work_similar, name="similar"),
    # comments
    path(f"{W}/comments", comments.comment_create, name="comment_create"),
    path(f"{W}/comments/held", comments.comments_held, name="comments_held"),
    path(f"{W}/comment_settings", comments.comment_settings, name="comment_settings"),
    path(C, comments.comment_show, name="comment"),
    path(f"{C}/edit", comments.comment_edit, name="comment_edit"),
    path(f"{C}/delete", comments.comment_delete, name="comment_delete"),
    path(f"{C}/freeze", comments.comment_freeze, name="comment_freeze"),
    path(f"{C}/hide", comments.comment_hide, name="comment_hide"),
    path(f"{C}/approve", comments.comment_approve, name="comment_approve"),
    # bookmarks
    path("bookmarks", bookmarks.bookmark_index, name="bookmarks"),
    path("bookmarks/search", bookmark_search.bookmark_search_page, name="bookmark_search"),
    path("bookmarks/new", bookmarks.external_bookmark, name="bookmark_external"),
    path("bookmarks/<int:bookmark_id>", bookmarks.bookmark_show, name="bookmark"),
    path("bookmarks/<int:bookmark_id>/edit", bookmarks.bookmark_edit, name="bookmark_edit"),
    path("bookmarks/<int:bookmark_id>/delete", bookmarks.bookmark_delete, name="bookmark_delete"),
    path(f"{W}/bookmarks", bookmarks.work_bookmarks, name="work_bookmarks"),
    path(f"{W}/bookmark", bookmarks.work_bookmark, name="work_bookmark"),
    path(f"{U}/bookmarks", bookmarks.user_bookmarks, name="user_bookmarks"),
    # subscriptions
    path("subscriptions", readers.subscription_create, name="subscribe"),
    path(
        "subscriptions/<int:subscription_id>/delete",
        readers.subscription_delete,
        name="unsubscribe",
    ),
    path(f"{U}/subscriptions", readers.subscription_index, name="subscriptions"),
    # inbox
    path(f"{U}/inbox", inbox.inbox, name="inbox"),
    path(f"{U}/inbox/update", inbox.inbox_update, name="inbox_update"),
    path(f"{U}/inbox/settings", inbox.inbox_settings, name="inbox_settings"),
    path(f"{U}/inbox/<int:notification_id>/reply", inbox.inbox_reply, name="inbox_reply"),
    # history and Marked for Later
    path(f"{U}/readings", readers.readings, name="readings"),
    path(f"{U}/readings/clear", readers.readings_clear, name="readings_clear"),
    path(f"{U}/readings/settings", readers.readings_settings, name="readings_settings"),
    path(f"{W}/mark_for_later", readers.mark_for_later, name="mark_for_later"),
    path(f"{W}/reading/delete", readers.reading_delete, name="reading_delete"),
    # statistics
    path(f"{U}/stats", readers.stats_page, name="stats"),
    # muting and blocking
    path(f"{U}/muted", people.muted, name="muted"),
    path(f"{U}/blocked", people.blocked, name="blocked"),
    path(f"{U}/mute", people.confirm, {"kind": "muted"}, name="mute"),
    path(f"{U}/block", people.confirm, {"kind": "blocked"}, name="block"),
    path(f"{U}/muted/<str:target>/delete", people.remove, {"kind": "muted"}, name="unmute"),
    path(f"{U}/blocked/<str:target>/delete", people.remove, {"kind": "blocked"}, name="unblock"),
]
