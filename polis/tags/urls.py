from django.urls import path

from polis.tags import views

app_name = "tags"

# The fixed pages come before `tags/<name>`; a tag named "search" is still reachable through
# its works page. `/tags/search` is the search app's (polis/search/finder_views.py).
urlpatterns = [
    path("tags/unwrangled", views.tags_unwrangled, name="unwrangled"),
    path("autocomplete/tags", views.tags_autocomplete, name="autocomplete"),
    path("tags/<str:name>", views.tag_show, name="show"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
    path("tags/<str:name>/edit", views.tag_edit, name="edit"),
]
