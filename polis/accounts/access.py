"""Who may see or change a user's pages and pseuds. Missing and forbidden both answer 404."""

from django.http import Http404

from polis.accounts.models import Pseud, User


def access_user(username: str) -> User:
    """The user with this name (any case); Http404 if there is none."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise Http404("No such user.")
    return user


def access_own_user(viewer: User, username: str) -> User:
    """The viewer's own account, reached through a URL naming it; Http404 for anyone else's."""
    user = access_user(username)
    if not viewer.is_authenticated or viewer.pk != user.pk:
        raise Http404("No such page.")
    return user


def access_pseud(user: User, name: str) -> Pseud:
    """One of this user's pseuds by name (any case); Http404 if there is none."""
    pseud = user.pseuds.filter(name__iexact=name).first()
    if pseud is None:
        raise Http404("No such pseud.")
    return pseud


def access_pseud_for_edit(viewer: User, username: str, name: str) -> Pseud:
    """A pseud the viewer owns; Http404 for another user's pseud or a missing one."""
    return access_pseud(access_own_user(viewer, username), name)
