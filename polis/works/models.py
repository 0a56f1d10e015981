"""Works, their chapters, creators and tags."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from polis.accounts.models import Pseud, User
from polis.core.text import TextFormat
from polis.tags.fixed import ADULT_RATINGS, Rating
from polis.tags.models import Tag, TagType

TEXT_FORMAT_CHOICES = [
    (TextFormat.HTML.value, "Rich text (HTML)"),
    (TextFormat.TEXT.value, "Plain text"),
    (TextFormat.MARKDOWN.value, "Markdown"),
]


class WorkSkin(models.Model):
    """A creator's CSS for their own works, AO3's subset, kept only as polis.core.css wrote it
    (scoped under #workskin). Private to its owner, who may choose it on their works."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="work_skins")
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    css = models.TextField()  # sanitized, scoped CSS
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="works_workskin_user_title")
        ]

    def __str__(self) -> str:
        return self.title


class Work(models.Model):
    """A story. Who may see it follows from its own state (`polis.works.visibility`)."""

    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)  # sanitized HTML
    notes = models.TextField(blank=True)  # sanitized HTML, shown before the text
    end_notes = models.TextField(blank=True)  # sanitized HTML, shown after the text
    rating = models.CharField(max_length=32, choices=Rating.choices)
    language = models.CharField(max_length=12, default="en")
    restricted = models.BooleanField(default=False)
    posted = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    chapter_count = models.PositiveIntegerField(default=0)  # posted chapters
    word_count = models.PositiveIntegerField(default=0)  # posted chapters
    published_at = models.DateField(null=True, blank=True)
    revised_at = models.DateTimeField(null=True, blank=True)
    # A draft the worker posts at this time (polis.works.scheduling); None: posted by hand.
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    hit_count = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)
    # Facts that hide a work or its creators, set only through works actions
    # (`work_conceal`, `work_set_hidden`); what they mean lives in polis.works.visibility.
    anonymous = models.BooleanField(default=False)  # creators shown as "Anonymous"
    unrevealed = models.BooleanField(default=False)  # hidden until its collection reveals it
    hidden = models.BooleanField(default=False)  # hidden by the archive's staff
    # Chosen by a creator among their own skins; readers may turn skins off (preferences).
    work_skin = models.ForeignKey(
        WorkSkin, null=True, blank=True, on_delete=models.SET_NULL, related_name="works"
    )
    tags = models.ManyToManyField(Tag, through="Tagging", related_name="works")
    pseuds = models.ManyToManyField(
        Pseud, through="Creatorship", through_fields=("work", "pseud"), related_name="works"
    )

    class Meta:
        indexes = [
            models.Index(fields=["posted", "revised_at"], name="works_work_posted_revised"),
            # Few works are concealed or hidden; these keep "which are" to an index range.
            models.Index(fields=["unrevealed"], name="works_work_unrevealed"),
            models.Index(fields=["anonymous"], name="works_work_anonymous"),
            models.Index(fields=["hidden"], name="works_work_hidden"),
            models.Index(fields=["scheduled_at"], name="works_work_scheduled"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:show", kwargs={"work_id": self.pk})

    @property
    def is_adult(self) -> bool:
        return self.rating in ADULT_RATINGS

    @property
    def chapter_total_display(self) -> str:
        """AO3's `2/5`, or `2/?` when the writer has not said how many chapters to expect."""
        expected = self.expected_chapters if self.expected_chapters else "?"
        return f"{self.chapter_count}/{expected}"


class WorkSteward(models.Model):
    """Someone besides its creators who may see an unrevealed work: a maintainer of a
    collection holding it. Kept by `work_conceal`, whose caller (collections) knows who
    maintains what; works only reads it."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="stewards")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="stewarded_works")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "user"], name="works_worksteward_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} stewards work {self.work_id}"


class Creatorship(models.Model):
    """A pseud credited on a work. Invited co-creators appear once they accept."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    accepted = models.BooleanField(default=True)
    invited_by = models.ForeignKey(
        Pseud, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="works_creatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class UnnumberedChapter(RuntimeError):
    """A chapter was shown without a `number`: load it through `Chapter.objects.numbered`.

    Not an AttributeError, so a template that shows such a heading fails loudly instead of
    printing "Chapter " (or, worse, the position, which counts drafts)."""


class ChapterQuerySet(models.QuerySet):
    def numbered(self, *, drafts: bool = False) -> "ChapterQuerySet":
        """Each chapter with `number`: its place among its work's posted chapters, or among
        all of them with `drafts` (the creator's view).

        `position` orders every chapter, drafts included; a reader must not see the gap a
        draft leaves (1, 3), so what is shown is this rank. It is a correlated count, so it
        stays right when the outer query is filtered (one chapter by id) or paged.
        """
        before = Chapter.objects.filter(work=OuterRef("work")).filter(
            Q(position__lt=OuterRef("position"))
            | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
        )
        if not drafts:
            before = before.filter(posted=True)
        count = before.order_by().values("work").annotate(n=Count("pk")).values("n")
        return self.annotate(number=Coalesce(Subquery(count), Value(0)) + 1)


class Chapter(models.Model):
    """One chapter. A work has at least one; unposted chapters are drafts.

    `position` orders all of a work's chapters, drafts included. The number shown to a
    reader is `number`, annotated by `Chapter.objects.numbered` (through
    `polis.works.access.visible_chapters` for a viewer).
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    text_format = models.CharField(
        max_length=10,
        choices=TEXT_FORMAT_CHOICES,
        default=TextFormat.HTML.value,
    )
    source = models.TextField()  # what the writer typed, in `text_format`
    content = models.TextField()  # sanitized HTML rendered from `source`
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=True)
    published_at = models.DateField(null=True, blank=True)
    # A draft chapter the worker posts at this time (polis.works.scheduling).
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["work", "position"], name="works_chapter_work_pos"),
            models.Index(fields=["scheduled_at"], name="works_chapter_scheduled"),
        ]

    def __str__(self) -> str:
        return f"{self.work.title}, chapter {self.position}"

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", kwargs={"work_id": self.work_id, "chapter_id": self.pk})

    @property
    def shown_number(self) -> int:
        """The number a reader is shown (see `ChapterQuerySet.numbered`)."""
        number = self.__dict__.get("number")
        if number is None:
            raise UnnumberedChapter(f"Chapter {self.pk} was not loaded with its number.")
        return number

    @property
    def heading(self) -> str:
        """`Chapter 2: The Storm`, or `Chapter 2` for an untitled chapter."""
        base = f"Chapter {self.shown_number}"
        return f"{base}: {self.title}" if self.title else base


class Tagging(models.Model):
    """A tag as the writer put it on a work (the filter set is derived from these)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="works_tagging_unique"),
        ]
        indexes = [models.Index(fields=["tag", "work"], name="works_tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work_id}"


TAG_FIELDS: dict[str, str] = {
    TagType.RATING: "rating",
    TagType.WARNING: "warnings",
    TagType.CATEGORY: "categories",
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def tags_of_type(work: Work, tag_type: str) -> list[Tag]:
    """The work's tags of one type, from the prefetched taggings when they are there."""
    return list(tags_by_type(work).get(tag_type, ()))


def tags_by_type(work: Work) -> dict[str, list[Tag]]:
    """The work's tags grouped by type, each group by name: grouped once per loaded set of
    taggings (a blurb asks for six types), again only when the taggings are loaded anew."""
    taggings = work.taggings.all()
    prefetched = getattr(work, "_prefetched_objects_cache", {}).get("taggings")
    held = getattr(work, "_tags_by_type", None)
    if prefetched is not None and held is not None and held[0] is prefetched:
        return held[1]
    groups: dict[str, list[Tag]] = {}
    for tagging in taggings:
        groups.setdefault(tagging.tag.type, []).append(tagging.tag)
    for tags in groups.values():
        tags.sort(key=lambda tag: tag.name.casefold())
    if prefetched is not None:
        work._tags_by_type = (prefetched, groups)
    return groups


def creator_pseuds(work: Work) -> list[Pseud]:
    """Accepted creators in byline order, from prefetched creatorships when present."""
    return [c.pseud for c in work.creatorships.all() if c.accepted]


class Series(models.Model):
    """Works read in order (`/series/ID`); managed by the users behind its pseuds."""

    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)  # sanitized HTML: the description
    notes = models.TextField(blank=True)  # sanitized HTML
    complete = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)  # by staff: its creators and staff only
    pseuds = models.ManyToManyField(Pseud, related_name="series")
    works = models.ManyToManyField(Work, through="SeriesWork", related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", kwargs={"series_id": self.pk})


class SeriesWork(models.Model):
    """A work's place in a series: positions run 1, 2, 3… without gaps."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="entries")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_entries")
    position = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="works_serieswork_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work_id} as part {self.position} of {self.series_id}"


class PostingToken(models.Model):
    """A posting form's one-time token (or an API `Idempotency-Key`) and what it created.

    The unique constraint is what makes posting idempotent under concurrency: of two requests
    with one key, one inserts the row and creates; the other's insert fails (on PostgreSQL it
    waits for the winner's commit first), and it answers with the winner's work or chapter.
    See polis/works/idempotency.py.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)  # "work", or "chapter:<work id>"
    key = models.CharField(max_length=100)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, null=True, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="works_postingtoken_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} key of user {self.user_id}"
