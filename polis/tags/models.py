"""Tags: the typed, wrangled vocabulary that works are found by."""

from django.db import models
from django.urls import reverse

from polis.tags.names import tag_key, tag_to_url


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


# Types a writer types freely (the other three are fixed, chosen from lists).
USER_DEFINED_TYPES = (
    TagType.FANDOM,
    TagType.RELATIONSHIP,
    TagType.CHARACTER,
    TagType.FREEFORM,
)


class Tag(models.Model):
    """A tag. Names are unique regardless of case; `key` holds the case-folded name."""

    name = models.CharField(max_length=150)
    key = models.CharField(max_length=150, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    # A synonym points at its canonical tag (AO3 calls it the "merger").
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        limit_choices_to={"canonical": True},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(canonical=True) & models.Q(merger__isnull=False)),
                name="tags_tag_canonical_has_no_merger",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:show", kwargs={"name": tag_to_url(self.name)})

    def get_works_url(self) -> str:
        return reverse("tags:works", kwargs={"name": tag_to_url(self.name)})

    def set_name(self, name: str) -> None:
        self.name = name
        self.key = tag_key(name)

    @property
    def wrangling_state(self) -> str:
        if self.canonical:
            return "canonical"
        if self.merger_id:
            return "synonym"
        return "unwrangled"
