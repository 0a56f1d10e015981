"""Tags: the typed, wrangled vocabulary that works are found by."""

from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

from polis.tags.names import tag_key, tag_to_url

_NAME = "TAGNAMEMARK"
_patterns: dict[tuple, tuple[str, str]] = {}


def tag_path(route: str, name: str) -> str:
    """What `reverse(route, kwargs={"name": tag_to_url(name)})` gives, without a reverse()
    per link (a listing page has hundreds): the path around the name is reversed once per
    process, script prefix and URL conf, and the name quoted the way reverse() quotes it."""
    key = (route, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    pattern = _patterns.get(key)
    if pattern is None:
        before, after = reverse(route, kwargs={"name": _NAME}).split(_NAME)
        pattern = _patterns[key] = (before, after)
    return pattern[0] + quote(tag_to_url(name), safe=RFC3986_SUBDELIMS + "/~:@") + pattern[1]


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"
    MEDIA = "media", "Media"


# Types a writer types freely (ratings, warnings, categories are fixed; media are wrangled).
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
        return tag_path("tags:show", self.name)

    def get_works_url(self) -> str:
        return tag_path("tags:works", self.name)

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


# Which types may be the parent of which (AO3: media → fandom; fandom → character,
# relationship and additional tags).
PARENT_TYPES: dict[str, frozenset[str]] = {
    TagType.FANDOM: frozenset({TagType.MEDIA}),
    TagType.CHARACTER: frozenset({TagType.FANDOM}),
    TagType.RELATIONSHIP: frozenset({TagType.FANDOM}),
    TagType.FREEFORM: frozenset({TagType.FANDOM}),
}


class TagParent(models.Model):
    """A parent link: `The 100 (TV)` is a parent of `Clarke Griffin` (for browsing/wrangling)."""

    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="tags_tagparent_unique"),
        ]
        indexes = [models.Index(fields=["child", "parent"], name="tags_tagparent_child")]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class MetaTagging(models.Model):
    """`meta` is a meta tag of `sub`: works with the sub tag are found under the meta tag."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta", "sub"], name="tags_metatagging_unique"),
            models.CheckConstraint(
                condition=~models.Q(meta=models.F("sub")), name="tags_metatagging_not_self"
            ),
        ]
        indexes = [models.Index(fields=["sub", "meta"], name="tags_metatagging_sub")]

    def __str__(self) -> str:
        return f"{self.meta} ⊃ {self.sub}"


class FilterTagging(models.Model):
    """One tag of a work's filter set: what browsing and filtering match against.

    Derived from the work's taggings by `polis.tags.filters`; never edited by hand.
    """

    pk = models.CompositePrimaryKey("tag_id", "work_id")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="filter_taggings")

    class Meta:
        indexes = [models.Index(fields=["work", "tag"], name="tags_filtertagging_work")]

    def __str__(self) -> str:
        return f"{self.tag_id} ∈ filters of {self.work_id}"
