from django.urls import path

from polis.tags import views

app_name = "tags"

# The fixed pages come before `tags/<name>`; a tag named "search" is still reachable through
# its works page and the search below.
urlpatterns = [
    path("tags/search", views.tags_search_page, name="search"),
    path("tags/unwrangled", views.tags_unwrangled, name="unwrangled"),
    path("autocomplete/tags", views.tags_autocomplete, name="autocomplete"),
    path("tags/<str:name>", views.tag_show, name="show"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
    path("tags/<str:name>/edit", views.tag_edit, name="edit"),
]
