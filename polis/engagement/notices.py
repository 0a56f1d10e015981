"""What a notice says, decided when it is read: the inbox page, the inbox API, the unread
count and the e-mail digest all show a notice through here.

A notice is written when something happens, but what its reader may see changes after: a
work joins an anonymous or unrevealed collection, staff hide it, it goes back to draft, a
named series stops showing an anonymous work. So the inbox never shows the stored text of a
notice about a work. It leaves out the notices about works the reader may not see now
(`visible_q`, one condition in the inbox's query, so pages, counts and digests agree), and
words the rest afresh from the work: its title, and its creators only while they may be
named (`byline_pseuds`; "Anonymous" otherwise), a comment's author as "Anonymous Creator"
while it is the anonymous work's creator. Notices about no work (gift-exchange assignments)
show their stored text.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from polis.accounts.models import User
from polis.engagement.anonymous_creators import mark_anonymous_creators
from polis.engagement.models import Notification, NotificationKind
from polis.works.models import Chapter, Creatorship, SeriesWork, Work
from polis.works.series import shown_in_series_q
from polis.works.visibility import ANONYMOUS, byline_pseuds, visible_q

# --------------------------------------------------------------------------- the words


def byline_text(work: Work) -> str:
    return ", ".join(str(pseud) for pseud in byline_pseuds(work)) or ANONYMOUS


def new_work_text(byline: str, title: str) -> str:
    return f"{byline} posted a new work: “{title}”."


def new_chapter_text(byline: str, heading: str, title: str) -> str:
    return f"{byline} posted {heading} of “{title}”."


def series_addition_text(byline: str, title: str, series_title: str) -> str:
    return f"“{title}” by {byline} is now part of “{series_title}”."


def comment_text(kind: str, name: str, title: str) -> str:
    if kind == NotificationKind.COMMENT_HELD:
        return f"A comment by {name} on “{title}” is waiting for your approval."
    if kind == NotificationKind.REPLY:
        return f"{name} replied to your comment on “{title}”."
    return f"{name} left a comment on “{title}”."


def notice_text(note: Notification) -> str:
    """What one notice says now (its work's creators and comment marks already loaded)."""
    work = note.work
    if work is None:
        return note.text
    if note.comment_id is not None:
        return comment_text(note.kind, note.comment.author_name, work.title)
    byline = byline_text(work)
    if note.kind == NotificationKind.NEW_CHAPTER and note.chapter_id is not None:
        return new_chapter_text(byline, note.chapter.heading, work.title)
    if note.series_id is not None:
        return series_addition_text(byline, work.title, note.series.title)
    return new_work_text(byline, work.title)


# --------------------------------------------------------------------------- the reads


def shown_notices(reader: User) -> QuerySet[Notification]:
    """The reader's notices that may be shown now: about no work, or about a work the reader
    may see — and, for a series' notice, one that series still shows."""
    in_series = SeriesWork.objects.filter(
        shown_in_series_q(), series_id=OuterRef("series_id"), work_id=OuterRef("work_id")
    )
    series_ok = Q(series__isnull=True) | Q(Exists(in_series))
    return Notification.objects.filter(
        Q(work__isnull=True) | (visible_q(reader, prefix="work__") & series_ok),
        recipient=reader,
    )


def notices_prepare(notes: Iterable[Notification]) -> list[Notification]:
    """Load what a page of notices says, in a fixed number of queries, and word each one
    (`Notification.shown_text`)."""
    notes = list(notes)
    prefetch_related_objects(
        [n for n in notes if n.work_id is not None],
        Prefetch(
            "work__creatorships",
            queryset=Creatorship.objects.filter(accepted=True).select_related("pseud__user"),
        ),
    )
    mark_anonymous_creators(n.comment for n in notes if n.comment_id is not None)
    # A chapter is named by its number among the posted chapters, not its position.
    chapter_ids = {n.chapter_id for n in notes if n.chapter_id is not None}
    if chapter_ids:
        numbered = Chapter.objects.numbered().in_bulk(chapter_ids)
        for note in notes:
            if note.chapter_id in numbered:
                note.chapter = numbered[note.chapter_id]
    for note in notes:
        note.__dict__["shown_text"] = notice_text(note)
    return notes
