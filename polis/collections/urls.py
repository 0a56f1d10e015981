"""URLs of collections (`/collections/NAME` as on AO3), gifts, tag sets and challenges."""

from django.urls import path

from polis.collections.views import challenges, collections, exchange, gifts, tagsets

app_name = "collections"

urlpatterns = [
    path("collections", collections.collection_index, name="index"),
    path("collections/new", collections.collection_new, name="new"),
    path("collections/<str:name>", collections.collection_show, name="show"),
    path("collections/<str:name>/edit", collections.collection_edit, name="edit"),
    path("collections/<str:name>/works", collections.collection_works_view, name="works"),
    path("collections/<str:name>/reveal", collections.collection_reveal_view, name="reveal"),
    path("collections/<str:name>/items", collections.collection_items, name="items"),
    path("collections/<str:name>/invite", collections.collection_invite, name="invite"),
    path("collections/<str:name>/members", collections.collection_members, name="members"),
    path("collections/<str:name>/challenge", challenges.challenge_edit, name="challenge"),
    path("collections/<str:name>/signup", challenges.signup_form, name="signup"),
    path("collections/<str:name>/signup/delete", challenges.signup_delete, name="signup_delete"),
    path("collections/<str:name>/signups", challenges.signup_list, name="signups"),
    path("collections/<str:name>/prompts", challenges.prompt_list, name="prompts"),
    path("collections/<str:name>/prompts/<int:prompt_id>", challenges.prompt_show, name="prompt"),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/claim",
        challenges.prompt_claim,
        name="prompt_claim",
    ),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/fill",
        challenges.prompt_fill,
        name="prompt_fill",
    ),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/delete",
        challenges.prompt_delete,
        name="prompt_delete",
    ),
    path("collections/<str:name>/claims", challenges.claim_list, name="claims"),
    path("collections/<str:name>/matching", exchange.matching_page, name="matching"),
    path("collections/<str:name>/matching/do", exchange.matching_action, name="matching_action"),
    path(
        "collections/<str:name>/matching/<int:signup_id>",
        exchange.potential_givers,
        name="potential_givers",
    ),
    path("collections/<str:name>/assignments", exchange.my_assignments, name="assignments"),
    path(
        "collections/<str:name>/assignments/<int:assignment_id>",
        exchange.assignment_fulfil,
        name="assignment",
    ),
    path("works/<int:work_id>/collections", collections.work_collections, name="work_collections"),
    path("works/<int:work_id>/gifts", gifts.work_gifts, name="work_gifts"),
    path("users/<str:username>/gifts", gifts.user_gifts, name="user_gifts"),
    path(
        "users/<str:username>/collections",
        collections.user_collections,
        name="user_collections",
    ),
    path("gifts/<int:gift_id>/refuse", gifts.gift_refuse, name="gift_refuse"),
    path("tag_sets", tagsets.tag_set_index, name="tag_sets"),
    path("tag_sets/new", tagsets.tag_set_new, name="tag_set_new"),
    path("tag_sets/<int:tag_set_id>", tagsets.tag_set_show, name="tag_set"),
    path("tag_sets/<int:tag_set_id>/edit", tagsets.tag_set_edit, name="tag_set_edit"),
    path("tag_sets/<int:tag_set_id>/tags", tagsets.tag_set_tags, name="tag_set_tags"),
]
