"""Every page type a reader or writer meets, with data on it: the catalogue the accessibility
tests walk (one h1 each, and axe-core in Chromium)."""

from dataclasses import dataclass

from polis.accounts.models import User
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.works.actions import ChapterInput, WorkInput, chapter_add, work_create
from polis.works.models import Work
from polis.works.series import series_add_work, series_create

PASSWORD = "a-long-test-password"


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    h1: str
    who: str = "anyone"  # or "member" (needs an account) or "guest" (logged out only)

    def shown_to(self, *, logged_in: bool) -> bool:
        return self.who == "anyone" or (self.who == "member") == logged_in


def build_archive() -> tuple[User, list[PageType]]:
    """A writer with a two-chapter work (with a comment thread and a bookmark) in a series;
    returns the writer and the page types, each with its address and its h1."""
    writer = User.objects.create_user(
        username="ariadne", email="ariadne@example.org", password=PASSWORD
    )
    reader = User.objects.create_user(
        username="theseus", email="theseus@example.org", password=PASSWORD
    )
    work = work_create(
        actor=writer,
        pseuds=[writer.pseuds.get(is_default=True)],
        data=WorkInput(
            title="The Thread",
            rating="Teen And Up Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Greek Mythology"],
            characters=["Ariadne"],
            freeforms=["Labyrinths"],
            summary="<p>A ball of red thread.</p>",
        ),
        chapter=ChapterInput(text="<p>The first turn was left.</p>"),
        post=True,
    )
    chapter = chapter_add(
        actor=writer,
        work=work,
        data=ChapterInput(text="<p>The second turn was right.</p>", title="Right"),
        post=True,
    )
    work = Work.objects.get(pk=work.pk)
    first = work.chapters.get(position=1)
    comment, _ = comment_create(actor=reader, work=work, chapter=first, text="I held my breath.")
    comment_create(actor=writer, work=work, chapter=first, text="Thank you!", parent=comment)
    bookmark_create(actor=reader, work=work, notes="Keep this one.")
    series = series_create(actor=writer, title="Knots")
    series_add_work(actor=writer, series=series, work=work)
    pages = [
        PageType("home", "/", "Welcome to Polis"),
        PageType("works listing", "/works", "1 - 1 of 1 Works"),
        PageType("tag listing", "/tags/Ariadne/works", "1 - 1 of 1 Works in Ariadne"),
        PageType("work with comments", f"/works/{work.pk}?view_adult=true", "The Thread"),
        PageType(
            "chapter", f"/works/{work.pk}/chapters/{chapter.pk}?view_adult=true", "The Thread"
        ),
        PageType(
            "chapter index",
            f"/works/{work.pk}/navigate",
            "Chapter Index for The Thread by ariadne",
        ),
        PageType("series", f"/series/{series.pk}", "Series"),
        PageType("search", "/works/search", "Search Works"),
        PageType("bookmarks", "/bookmarks", "1 - 1 of 1 Bookmarks"),
        PageType("user", "/users/ariadne", "ariadne"),
        PageType("profile", "/users/ariadne/profile", "ariadne's Profile"),
        PageType("user collections", "/users/ariadne/collections", "Collections by ariadne"),
        PageType("media", "/media", "Fandoms"),
        PageType("languages", "/languages", "Works in Other Languages"),
        PageType("login", "/users/login", "Log In", who="guest"),
        PageType("posting form", "/works/new", "Post New Work", who="member"),
        PageType("settings", "/settings", "Settings", who="member"),
        PageType("api docs", "/api/v1/docs", "Polis API"),
    ]
    return writer, pages
