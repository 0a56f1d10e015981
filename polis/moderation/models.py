"""Reports from readers, and the spam marks that count against an account."""

from django.conf import settings
from django.db import models


class TargetType(models.TextChoices):
    WORK = "work", "Work"
    CHAPTER = "chapter", "Chapter"
    COMMENT = "comment", "Comment"
    BOOKMARK = "bookmark", "Bookmark"
    SERIES = "series", "Series"
    COLLECTION = "collection", "Collection"
    TAG = "tag", "Tag"
    USER = "user", "User"


class Reason(models.TextChoices):
    SPAM = "spam", "Spam"
    HARASSMENT = "harassment", "Harassment"
    ILLEGAL = "illegal", "Illegal content"
    PLAGIARISM = "plagiarism", "Plagiarism"
    COPYRIGHT = "copyright", "Copyright"
    TAGS = "tags", "Wrong tags or rating"
    OTHER = "other", "Other"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"  # staff acted on it
    DISMISSED = "dismissed", "Dismissed"  # staff found nothing to do


# Reasons the Support team handles; Policy & Abuse handles every reason.
SUPPORT_REASONS = (Reason.TAGS, Reason.OTHER)


class Report(models.Model):
    """One reader's report of one thing on the archive (a guest leaves an address)."""

    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    # What the target was called when reported: kept if the target is deleted.
    target_label = models.CharField(max_length=255, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    email = models.EmailField(blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(blank=True)  # plain text, escaped where shown
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_handled",
    )
    resolution = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "target_type", "target_id"], name="moderation_report_q"),
            models.Index(fields=["target_type", "target_id"], name="moderation_report_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reporter__isnull=True, email=""),
                name="moderation_report_has_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}: {self.target_type} {self.target_id} ({self.reason})"


class SpamMark(models.Model):
    """A work, comment, bookmark, series or collection staff marked as spam (and hid).

    Counted against `account`, the user who made it: `spam_count`.
    """

    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="spam_marks",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="moderation_spammark_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Spam: {self.target_type} {self.target_id}"
