"""Readers' feedback: kudos, comments, bookmarks, subscriptions, notifications, history, hits."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property

from polis.accounts.models import Pseud, User
from polis.tags.fixed import Rating
from polis.works.models import Chapter, Series, Work

# How a creator's comment on their own work in an anonymous collection is signed.
ANONYMOUS_CREATOR = "Anonymous Creator"


class CommentPermission(models.TextChoices):
    EVERYONE = "everyone", "Registered users and guests can comment"
    REGISTERED = "registered", "Only registered users can comment"
    NOBODY = "nobody", "No one can comment"


class CommentSettings(models.Model):
    """A work's comment rules; a work without a row takes the defaults."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="comment_settings"
    )
    permission = models.CharField(
        max_length=16, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    moderated = models.BooleanField(
        "Moderate comments (hold new comments until I approve them)", default=False
    )

    def __str__(self) -> str:
        return f"Comment settings of {self.work_id}"


class Kudos(models.Model):
    """Kudos from one account or one guest: on a whole work, or on one of its chapters."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="kudos"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="kudos"
    )
    # A salted hash of a guest's address (never the address itself); "" for accounts.
    guest_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["work", "created_at"], name="engagement_kudos_work")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_key=""))
                | (Q(user__isnull=True) & ~Q(guest_key="")),
                name="engagement_kudos_one_giver",
            ),
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=Q(chapter__isnull=True, user__isnull=False),
                name="engagement_kudos_work_user",
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=Q(chapter__isnull=True, user__isnull=True),
                name="engagement_kudos_work_guest",
            ),
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=Q(chapter__isnull=False, user__isnull=False),
                name="engagement_kudos_chapter_user",
            ),
            models.UniqueConstraint(
                fields=["chapter", "guest_key"],
                condition=Q(chapter__isnull=False, user__isnull=True),
                name="engagement_kudos_chapter_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"Kudos on {self.work_id}"


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Awaiting the creator's approval"
    SPAM = "spam", "Held for review as possible spam"


class Comment(models.Model):
    """A comment on a work or one of its chapters; replies form threads under a root."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The root of the thread (None for a root): one query loads a whole thread.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    pseud = models.ForeignKey(
        Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    guest_key = models.CharField(max_length=64, blank=True)  # salted hash of the address
    content = models.TextField(blank=True)  # sanitized HTML
    text_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Same author, place and text: a double submission finds the first comment.
    dedupe_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    hidden = models.BooleanField(default=False)  # hidden by a creator of the work
    frozen = models.BooleanField(default=False)  # no more replies or edits
    deleted = models.BooleanField(default=False)  # kept as a placeholder for its replies
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["work", "parent", "created_at"], name="engagement_comment_work"),
            models.Index(fields=["thread", "created_at"], name="engagement_comment_thread"),
            models.Index(fields=["user", "created_at"], name="engagement_comment_user"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.work_id}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:comment", kwargs={"comment_id": self.pk})

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and bool(self.guest_name)

    @property
    def published(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @cached_property
    def by_anonymous_creator(self) -> bool:
        """A creator's comment on their own work while its creators are hidden."""
        from polis.engagement.anonymous_creators import by_anonymous_creator

        return by_anonymous_creator(self)

    @property
    def shown_pseud(self) -> Pseud | None:
        """The pseud a byline may name (None for guests and for an anonymous creator)."""
        return None if self.by_anonymous_creator else self.pseud

    @property
    def author_name(self) -> str:
        if self.pseud_id:
            if self.by_anonymous_creator:
                return ANONYMOUS_CREATOR
            return str(self.pseud)
        if self.guest_name:
            return f"{self.guest_name} (Guest)"
        return "(Deleted user)"


class ExternalWork(models.Model):
    """A work on another site, bookmarked by URL; bookmarks of one URL share it."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=255)
    creator = models.CharField(max_length=255)
    fandom = models.CharField(max_length=255)
    rating = models.CharField(max_length=32, choices=Rating.choices, blank=True)
    summary = models.TextField(blank=True)  # sanitized HTML
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Bookmark(models.Model):
    """A reader's bookmark of a work here or elsewhere; it outlives a deleted work."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    pseud = models.ForeignKey(
        Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookmarks"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookmarks"
    )
    external = models.ForeignKey(
        ExternalWork, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True)  # sanitized HTML
    private = models.BooleanField(default=False)
    rec = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="engagement_bookmark_user"),
            models.Index(fields=["work", "private"], name="engagement_bookmark_work"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="engagement_bookmark_user_work",
            ),
            models.UniqueConstraint(
                fields=["user", "external"],
                condition=Q(external__isnull=False),
                name="engagement_bookmark_user_external",
            ),
        ]

    def __str__(self) -> str:
        return f"Bookmark {self.pk} by {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:bookmark", kwargs={"bookmark_id": self.pk})

    @property
    def work_deleted(self) -> bool:
        return self.work_id is None and self.external_id is None


class BookmarkTag(models.Model):
    """One of the bookmarker's own tags on a bookmark (not wrangled, not a work tag)."""

    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["pk"]  # as the bookmarker typed them
        constraints = [
            models.UniqueConstraint(
                "bookmark", Lower("name"), name="engagement_bookmarktag_unique"
            ),
        ]
        indexes = [models.Index(Lower("name"), name="engagement_bookmarktag_name")]

    def __str__(self) -> str:
        return self.name


class SubscriptionType(models.TextChoices):
    USER = "user", "User"
    WORK = "work", "Work"
    SERIES = "series", "Series"


class Subscription(models.Model):
    """Tell `user` when a creator, a work or a series gets a new work or chapter."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="subscriptions")
    type = models.CharField(max_length=8, choices=SubscriptionType.choices)
    target_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="subscribers"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(type="user", target_user__isnull=False, work__isnull=True)
                    & Q(series__isnull=True)
                )
                | (
                    Q(type="work", work__isnull=False, target_user__isnull=True)
                    & Q(series__isnull=True)
                )
                | (
                    Q(type="series", series__isnull=False, target_user__isnull=True)
                    & Q(work__isnull=True)
                ),
                name="engagement_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "target_user"],
                condition=Q(target_user__isnull=False),
                name="engagement_subscription_user",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="engagement_subscription_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="engagement_subscription_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} subscribes to {self.type}"


class NotificationKind(models.TextChoices):
    NEW_WORK = "new_work", "New work"
    NEW_CHAPTER = "new_chapter", "New chapter"
    COMMENT = "comment", "Comment"
    REPLY = "reply", "Reply"
    COMMENT_HELD = "comment_held", "Comment awaiting approval"
    ASSIGNMENT = "assignment", "Gift exchange assignment"
    DEFAULTED = "defaulted", "Assignment defaulted"
    MODERATION = "moderation", "From the archive's staff"


class Notification(models.Model):
    """An inbox entry. One per recipient per event (`event_key`), however many reasons."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=64)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who caused it, for muting; None when that must stay unknown (anonymous works).
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Plain text, as written when it happened: the record of the event. Notices about a work
    # are worded afresh when read (`shown_text`, polis.engagement.notices).
    text = models.CharField(max_length=500)
    # Where the notice leads when it is about no work or comment (an assignment page).
    link = models.CharField(max_length=300, blank=True)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read"], name="engagement_notif_unread"),
            models.Index(fields=["recipient", "created_at"], name="engagement_notif_recent"),
            models.Index(fields=["emailed_at"], name="engagement_notif_emailed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="engagement_notification_once"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @cached_property
    def shown_text(self) -> str:
        """What the notice says to its reader now; lists word theirs in bulk first."""
        from polis.engagement.notices import notices_prepare

        notices_prepare([self])
        return self.__dict__["shown_text"]


class Reading(models.Model):
    """A logged-in reader's history of one work, and whether it is marked for later."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="readings")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    later = models.BooleanField(default=False)
    later_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="engagement_reading_unique"),
        ]
        indexes = [
            models.Index(fields=["user", "last_viewed_at"], name="engagement_reading_recent"),
            models.Index(fields=["user", "later"], name="engagement_reading_later"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id}"


class HitVisit(models.Model):
    """One visitor's first view of a work on one day: the ledger that keeps hits exact.

    Written in batches by `hits_flush`, never per page view; rows older than yesterday are
    pruned. `visitor` is a keyed hash: no address or account can be read back from it.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "day", "visitor"], name="engagement_hitvisit_unique"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="engagement_hitvisit_day")]

    def __str__(self) -> str:
        return f"{self.visitor} on {self.work_id}, {self.day}"
