from django.urls import path

from polis.works import (
    orphan_views,
    posting_views,
    scheduling_views,
    series_views,
    skin_views,
    suggestion_views,
    views,
)

app_name = "works"

urlpatterns = [
    path("works", views.work_index, name="index"),
    path("works/new", posting_views.work_new, name="new"),
    path("works/<int:work_id>", views.work_show, name="show"),
    path("works/<int:work_id>/navigate", views.work_navigate, name="navigate"),
    path("works/<int:work_id>/skin", skin_views.work_skin_choose, name="skin_choose"),
    path("works/<int:work_id>/skin.css", skin_views.work_skin_css, name="skin_css"),
    path("skins", skin_views.skin_index, name="skins"),
    path("skins/new", skin_views.skin_new, name="skin_new"),
    path("skins/<int:skin_id>/edit", skin_views.skin_edit, name="skin_edit"),
    path("skins/<int:skin_id>/delete", skin_views.skin_delete, name="skin_delete"),
    path("works/<int:work_id>/preview", posting_views.work_preview, name="preview"),
    path("works/<int:work_id>/post", posting_views.work_post_view, name="post"),
    path("works/<int:work_id>/edit", posting_views.work_edit, name="edit"),
    path("works/<int:work_id>/schedule", scheduling_views.work_schedule_view, name="schedule"),
    path(
        "works/<int:work_id>/suggest-tags",
        suggestion_views.work_suggest_tags,
        name="suggest_tags",
    ),
    path("works/<int:work_id>/delete", posting_views.work_delete_view, name="delete"),
    path("works/<int:work_id>/creatorship", posting_views.creatorship_respond, name="creatorship"),
    path("works/<int:work_id>/chapters/new", posting_views.chapter_new, name="chapter_new"),
    path(
        "works/<int:work_id>/chapters/manage", posting_views.chapters_manage, name="chapters_manage"
    ),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_show, name="chapter"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        posting_views.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        posting_views.chapter_delete_view,
        name="chapter_delete",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/schedule",
        scheduling_views.chapter_schedule_view,
        name="chapter_schedule",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        posting_views.chapter_post_view,
        name="chapter_post",
    ),
]

# Series (polis/works/series_views.py).
urlpatterns += [
    path("series/new", series_views.series_new, name="series_new"),
    path("series/<int:series_id>", series_views.series_show, name="series"),
    path("series/<int:series_id>/edit", series_views.series_edit, name="series_edit"),
    path("series/<int:series_id>/delete", series_views.series_delete, name="series_delete"),
    path("series/<int:series_id>/manage", series_views.series_manage, name="series_manage"),
    path("works/<int:work_id>/series", series_views.work_series, name="work_series"),
    path("users/<str:username>/series", series_views.user_series, name="user_series"),
]

# Orphaning (polis/works/orphan_views.py).
urlpatterns += [
    path("works/<int:work_id>/orphan", orphan_views.work_orphan_view, name="orphan"),
    path("series/<int:series_id>/orphan", orphan_views.series_orphan_view, name="series_orphan"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/orphan",
        orphan_views.pseud_orphan_view,
        name="pseud_orphan",
    ),
    path("users/<str:username>/orphan", orphan_views.orphan_all_view, name="orphan_all"),
]
