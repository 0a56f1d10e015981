from django.urls import path

from polis.search import finder_views, index_views, saved, views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search_page, name="works"),
    path("media", index_views.media_page, name="media"),
    path("media/<str:name>/fandoms", index_views.media_fandoms_page, name="media_fandoms"),
    path("languages", index_views.languages_page, name="languages"),
    path("people/search", finder_views.people_search_page, name="people"),
    path("tags/search", finder_views.tag_search_page, name="tags"),
    path("saved_searches", saved.saved_search_create, name="saved_create"),
    path("users/<str:username>/saved_searches", saved.saved_search_index, name="saved_index"),
    path(
        "users/<str:username>/saved_searches/<int:saved_id>/delete",
        saved.saved_search_delete,
        name="saved_delete",
    ),
    path("settings/blocklist", saved.blocklist, name="blocklist"),
]
