"""Collections, their people and items, and gifts."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"


# Roles that run a collection: change settings, approve items, see unrevealed works.
MAINTAINER_ROLES = frozenset({Role.OWNER, Role.MODERATOR})


class Collection(models.Model):
    """A named group of works (`/collections/NAME`), optionally running a challenge.

    `closed`: only maintainers add works. `moderated`: works added by people who are not
    members wait for a maintainer's approval. `anonymous`: creators show as "Anonymous"
    until revealed. `unrevealed`: works are hidden from everyone but their creators and the
    maintainers until revealed. A sub-collection inherits anonymity and unrevealed-ness from
    its parent (one level, as on AO3).
    """

    name = models.CharField(max_length=80, unique=True)  # letters, digits and underscores
    title = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)  # sanitized HTML: the intro
    rules = models.TextField(blank=True)  # sanitized HTML
    faq = models.TextField(blank=True)  # sanitized HTML
    closed = models.BooleanField(default=False)
    moderated = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    unrevealed = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)  # by staff: its maintainers and staff only
    # When set, a task reveals the collection at this time (works first, then creators).
    reveal_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="collections_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:show", kwargs={"name": self.name})

    @property
    def conceals_creators(self) -> bool:
        return self.anonymous or bool(self.parent_id and self.parent.anonymous)

    @property
    def conceals_works(self) -> bool:
        return self.unrevealed or bool(self.parent_id and self.parent.unrevealed)


class Membership(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "user"], name="collections_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} is {self.role} of {self.collection_id}"


class ItemStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class CollectionItem(models.Model):
    """A work in a collection. It is listed once both its creators and the collection agree.

    A writer adding their work approves it on their side; an owner inviting a work approves
    it on the collection's side; the other side then approves (or rejects) it.
    """

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="collection_items"
    )
    creator_status = models.CharField(
        max_length=16, choices=ItemStatus.choices, default=ItemStatus.UNREVIEWED
    )
    collection_status = models.CharField(
        max_length=16, choices=ItemStatus.choices, default=ItemStatus.UNREVIEWED
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "work"], name="collections_item_once"),
        ]
        indexes = [models.Index(fields=["work", "collection"], name="collections_item_work")]

    def __str__(self) -> str:
        return f"work {self.work_id} in {self.collection_id}"

    @property
    def approved(self) -> bool:
        return (
            self.creator_status == ItemStatus.APPROVED
            and self.collection_status == ItemStatus.APPROVED
        )


class Gift(models.Model):
    """A work given to a user (who may refuse it) or to a name that is not an account."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="gifts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gifts_received",
    )
    recipient_name = models.CharField(max_length=100, blank=True)
    refused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="collections_gift_user_once",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(recipient_name=""),
                name="collections_gift_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"gift of work {self.work_id}"

    @property
    def display_name(self) -> str:
        return self.recipient.username if self.recipient_id else self.recipient_name
