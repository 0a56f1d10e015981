"""The REST API, version 1 (Django Ninja): routers per domain, one error shape, local docs."""

from ninja import NinjaAPI

from polis.api import chapter_edit, engagement, errors, search, series, tags, users, works
from polis.api.docs import ServerDocs

api = NinjaAPI(
    title="Polis API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Read works, tags and users; post and edit works with a personal token "
        "(`Authorization: Bearer TOKEN`, made at /settings/tokens). Every 4xx answer is "
        '`{"detail": "...", "errors": [{"field": "title", "message": "..."}]}`.'
    ),
    docs=ServerDocs(),
    parser=errors.StorableJsonParser(),
)
errors.install(api)
# Before works: `/works/search` must not be read as `/works/{work_id}`.
api.add_router("", search.router)
api.add_router("", "polis.api.search_more.router")  # before `/tags/{name}`, `/bookmarks/{id}`
api.add_router("", "polis.api.imports.router")  # before works: `/works/import` is no id
api.add_router("", "polis.api.suggestions.router")  # before works: /works/suggest-tags
api.add_router("", "polis.api.skins.router")  # before works: `/works/{id}/skin`
api.add_router("", works.router)  # its chapter paths also have chapter_edit's PATCH
assert chapter_edit.router is works.router
api.add_router("", tags.router)
api.add_router("", "polis.api.preferences.router")  # before users: `/me/preferences`
api.add_router("", users.router)
engagement.install(api)
for router in engagement.routers:
    api.add_router("", router)
api.add_router("", series.router)
api.add_router("", "polis.api.collections.router")
api.add_router("", "polis.api.signups.router")
api.add_router("", "polis.api.exchange.router")
api.add_router("", "polis.api.collection_admin.router")
api.add_router("", "polis.api.challenges.router")
api.add_router("", "polis.api.tag_sets.router")
api.add_router("", "polis.api.gifts.router")
api.add_router("", "polis.api.orphaning.router")
api.add_router("", "polis.api.rights.router")
api.add_router("", "polis.api.moderation.router")
api.add_router("", "polis.api.sanctions.router")
api.add_router("", "polis.api.roles.router")
api.add_router("", "polis.api.scheduling.router")
api.add_router("", "polis.api.similar.router")
api.add_router("", "polis.api.browse.router")
