"""Tag sets: the tags a challenge's sign-ups may use, with nominations and fandom links."""

from django.conf import settings
from django.db import models
from django.urls import reverse

# Tag types a tag set holds and participants nominate.
TAG_SET_TYPES = ("fandom", "character", "relationship", "freeform")


class TagSet(models.Model):
    """A list of canonical or unwrangled tags, owned by its moderators.

    Participants nominate tags while `nominations_open`; each type has its own limit per
    nominator (0 = that type cannot be nominated).
    """

    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)  # sanitized HTML
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="owned_tag_sets")
    tags = models.ManyToManyField("tags.Tag", related_name="tag_sets", blank=True)
    nominations_open = models.BooleanField(default=False)
    fandom_nomination_limit = models.PositiveIntegerField(default=0)
    character_nomination_limit = models.PositiveIntegerField(default=0)
    relationship_nomination_limit = models.PositiveIntegerField(default=0)
    freeform_nomination_limit = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:tag_set", kwargs={"tag_set_id": self.pk})

    def nomination_limit(self, tag_type: str) -> int:
        return getattr(self, f"{tag_type}_nomination_limit", 0)


class TagAssociation(models.Model):
    """Within a tag set, a character or relationship belongs to a fandom (for sign-up forms)."""

    tag_set = models.ForeignKey(TagSet, on_delete=models.CASCADE, related_name="associations")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    fandom = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tag_set", "tag", "fandom"], name="collections_association_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} in {self.fandom_id}"


class NominationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Nomination(models.Model):
    """A tag a participant asks the tag set's moderators to add."""

    tag_set = models.ForeignKey(TagSet, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_nominations"
    )
    tag_type = models.CharField(max_length=16)
    name = models.CharField(max_length=150)
    fandom_name = models.CharField(max_length=150, blank=True)  # for characters/relationships
    status = models.CharField(
        max_length=16, choices=NominationStatus.choices, default=NominationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tag_type", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tag_set", "nominator", "tag_type", "name"],
                name="collections_nomination_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name
