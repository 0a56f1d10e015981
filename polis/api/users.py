"""Users: profiles with their pseuds, their works, and the caller's own account."""

from django.http import HttpRequest
from ninja import Query, Router

from polis.accounts.access import access_user
from polis.accounts.selectors import pseuds_of
from polis.api import output
from polis.api.auth import READ, USER_READ, viewer
from polis.api.collections import CollectionOut, collection_out
from polis.api.schemas import READ_ERRORS, ErrorOut, PageParams, UserOut
from polis.api.search import WorkSearchOut, search_response
from polis.collections import access

router = Router(tags=["users"])


@router.get("/me", response={200: UserOut, READ_ERRORS: ErrorOut}, **USER_READ)
def me(request: HttpRequest) -> dict:
    """Whose token (or session) this is."""
    user = viewer(request)
    return output.user_detail(request, user, pseuds_of(user))


@router.get("/users/{username}", response={200: UserOut, READ_ERRORS: ErrorOut}, **READ)
def user_show(request: HttpRequest, username: str) -> dict:
    user = access_user(username)
    return output.user_detail(request, user, pseuds_of(user))


@router.get(
    "/users/{username}/collections",
    response={200: list[CollectionOut], READ_ERRORS: ErrorOut},
    **READ,
)
def user_collections(request: HttpRequest, username: str) -> list[dict]:
    """The collections the user owns that the caller may see (to the user themselves, every
    collection they maintain or belong to), by title, as their collections page lists them."""
    user = access_user(username)
    collections = access.user_collections(viewer(request), user).select_related("challenge")
    return [collection_out(request, collection) for collection in collections]


@router.get(
    "/users/{username}/works",
    response={200: WorkSearchOut, READ_ERRORS | {400}: ErrorOut},
    **READ,
)
def user_works(request: HttpRequest, username: str, params: Query[PageParams]) -> dict:
    """The user's posted works that the caller may see (drafts never), as their works page
    lists them; `work_search[...]` filters apply within them."""
    return search_response(request, params, creator_user_id=access_user(username).pk)
