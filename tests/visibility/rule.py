"""The visibility matrix's expectation: the rule of `polis.works.visibility`, restated.

On purpose without calling it (the test must not agree with the code by construction): which
viewer sees each hidden state on each surface, and the surfaces themselves.
"""

import re
from dataclasses import dataclass

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATES = [
    "draft",
    "public",
    "restricted",
    "deleted",
    "unrevealed",
    "anonymous",
    "hidden",
    "modhidden",  # hidden by an admin from the moderation queue, with a reason
    "spam",  # marked as spam by an admin: hidden, and counted against the account
    "chapterdraft",  # a posted work whose second of three chapters is a draft
    "suspended",  # a public work whose creator is suspended: AO3 keeps such works up
]
# States the rule treats exactly like another: a sanction on the creator is not a state of
# the work (a ban with deletion deletes the works: tests/moderation covers that).
ALIKE = {"suspended": "public"}
VIEWERS = ["guest", "other", "creator", "moderator", "admin"]
SUBSCRIBERS = {"other", "moderator", "admin"}
# The draft chapter of "chapterdraft": its title and a word of its text.
SECRET_TITLE = "Hushchapter"
SECRET_WORD = "hushword"
# Its third chapter, posted: readers know it as chapter 2.
LAST_TITLE = "Codachapter"
MISNUMBERED = re.compile(rf'Chapter 3\b|\b3\. {LAST_TITLE}|"position":\s*3\b')
REGISTERED_ONLY = "This work is only available to registered users of the Archive."

VISIBLE, RESTRICTED, HIDDEN = "visible", "restricted", "hidden"
# Hidden by staff, whichever way: the work's `hidden` switch, or moderation's actions.
STAFF_HIDDEN = {"hidden", "modhidden", "spam"}
# Moderation tells the creator, in the inbox (and by e-mail, so the digest skips it).
TOLD_CREATOR = {"modhidden", "spam"}


# --------------------------------------------------------------------------- the rule, restated


def seen(state: str, viewer: str) -> str:
    """How a viewer sees the work itself (its page): the rule, in its order."""
    state = ALIKE.get(state, state)
    if state == "deleted":
        return HIDDEN
    if viewer == "creator":
        return VISIBLE
    if state == "draft":
        return HIDDEN
    if state in STAFF_HIDDEN and viewer != "admin":
        return HIDDEN
    if state == "unrevealed" and viewer != "moderator":
        return HIDDEN
    if state == "restricted" and viewer == "guest":
        return RESTRICTED
    return VISIBLE


def listed(state: str, viewer: str) -> bool:
    """Whether listings, counts, search, OPDS, the API's lists and notices may show it:
    posted, not hidden, not unrevealed (whoever asks), and restricted only when logged in."""
    state = ALIKE.get(state, state)
    if state not in {"public", "restricted", "anonymous", "chapterdraft"}:
        return False
    return not (state == "restricted" and viewer == "guest")


def readable(state: str, viewer: str) -> bool:
    """Whether the viewer may read the posted work (its notices, the tags it carries): the
    page's answer, drafts and deleted works aside."""
    return state not in {"draft", "deleted"} and seen(state, viewer) == VISIBLE


@dataclass(frozen=True)
class Surface:
    name: str
    # Answered by the search service: run with the accelerator on as well as off.
    searched: bool = False
    # The accelerator serves it when on (creator scopes always go to SQL).
    accelerated: bool = False
    # Scoped to the creator: names them by design, and never lists an anonymous work.
    creator_scoped: bool = False


SURFACES = [
    Surface("work"),
    Surface("chapter"),
    Surface("full_work"),
    Surface("navigate"),
    Surface("works_listing", searched=True, accelerated=True),
    Surface("tag_listing", searched=True, accelerated=True),
    Surface("user_listing", searched=True, creator_scoped=True),
    Surface("pseud_listing", searched=True, creator_scoped=True),
    Surface("tag_count", searched=True, accelerated=True),
    Surface("facet_count", searched=True, accelerated=True),
    Surface("user_count", searched=True, creator_scoped=True),
    Surface("pseud_count", searched=True, creator_scoped=True),
    Surface("search", searched=True, accelerated=True),
    Surface("atom_feed"),
    Surface("opds_latest", searched=True, accelerated=True),
    Surface("opds_search", searched=True, accelerated=True),
    Surface("api_works", searched=True, accelerated=True),
    Surface("api_work"),
    Surface("api_tag_works", searched=True, accelerated=True),
    Surface("api_user_works", searched=True, creator_scoped=True),
    Surface("download"),
    Surface("download_epub"),
    Surface("series"),
    Surface("api_series"),
    Surface("inbox"),
    Surface("api_inbox"),
    Surface("digest"),
    Surface("autocomplete"),
    Surface("api_tags"),
    Surface("api_tag_search"),
    Surface("bookmark_search"),
    Surface("api_bookmark_search"),
    # A public "twin" work sharing a canonical tag with the subject lists it as similar.
    Surface("similar"),
    Surface("similar_page"),
    Surface("api_similar"),
]
BY_NAME = {surface.name: surface for surface in SURFACES}
OBJECT_SURFACES = {"api_work", "download", "download_epub"}
PAGE_SURFACES = {"work", "chapter", "full_work", "navigate"}
COUNT_SURFACES = {"tag_count", "user_count", "pseud_count", "api_tag_works", "api_user_works"}
NOTICE_SURFACES = {"inbox", "api_inbox", "digest"}
TAG_SURFACES = {"autocomplete", "api_tags", "api_tag_search"}


@dataclass(frozen=True)
class Expect:
    status: int = 200
    present: bool = False  # the work's title is in the answer
    count: int | None = None  # the number a count surface shows
    registered_only: bool = False  # the registered-users message


def expect(state: str, viewer: str, surface: str) -> Expect:
    """What the rule says this viewer gets from this surface for a work in this state."""
    look = seen(state, viewer)
    if surface in PAGE_SURFACES:
        if surface == "chapter" and state == "chapterdraft":
            # The chapter asked for is the draft one: its creator's alone.
            look = VISIBLE if viewer == "creator" else HIDDEN
        if look == HIDDEN:
            return Expect(status=404)
        if look == RESTRICTED:
            return Expect(registered_only=True)
        return Expect(present=True)
    if surface in OBJECT_SURFACES:
        # Drafts are never downloaded, not even by their creators.
        can_read = look == VISIBLE and not (surface != "api_work" and state == "draft")
        return Expect(status=200, present=True) if can_read else Expect(status=404)
    if surface in {"series", "api_series"}:
        # A series lists its parts as every listing does (listed works only); its creator
        # always sees the series, others when it lists a work they may read.
        shown = listed(state, viewer)
        return Expect(status=200 if shown or viewer == "creator" else 404, present=shown)
    if surface == "atom_feed":
        # A feed is the same for everyone: what a guest may read.
        return Expect(present=listed(state, "guest"))
    if surface in NOTICE_SURFACES:
        if viewer == "guest" and surface != "digest":
            return Expect(status=302 if surface == "inbox" else 401)
        if viewer == "creator" and state in TOLD_CREATOR:
            # Moderation's notice names the work to its creator, and was e-mailed at once.
            return Expect(present=surface != "digest")
        # Checked when read: a notice names a work only while the reader may read it.
        return Expect(present=viewer in SUBSCRIBERS and readable(state, viewer))
    if surface in TAG_SURFACES:
        # A tag used only by works this viewer may not read is as good as unknown to them;
        # superusers (who wrangle) see every tag.
        return Expect(present=viewer == "admin" or readable(state, viewer))
    shown = listed(state, viewer)
    if BY_NAME[surface].creator_scoped and state == "anonymous":
        shown = False
    return Expect(present=shown, count=int(shown) if surface in COUNT_SURFACES else None)
