"""The search index: one row per posted work with what listings filter and sort on.

Derived from works by `polis.search.indexing`; drafts are never in it. On PostgreSQL the
table also carries `filter_tags int[]` and `document tsvector` (created by migration 0002);
on SQLite the full text lives in the FTS5 table `search_workfts`.
"""

from django.conf import settings
from django.db import models


class WorkDoc(models.Model):
    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="search_doc"
    )
    restricted = models.BooleanField()
    revised_at = models.DateTimeField()
    published_at = models.DateField()
    word_count = models.PositiveIntegerField()
    chapter_count = models.PositiveIntegerField()
    complete = models.BooleanField()
    crossover = models.BooleanField()
    language = models.CharField(max_length=12)
    hit_count = models.PositiveIntegerField()
    kudos_count = models.PositiveIntegerField()
    comment_count = models.PositiveIntegerField()
    bookmark_count = models.PositiveIntegerField()
    title_key = models.CharField(max_length=255)
    creator_key = models.CharField(max_length=255)

    class Meta:
        indexes = [
            models.Index(fields=["revised_at"], name="search_doc_revised"),
            models.Index(fields=["published_at"], name="search_doc_published"),
            models.Index(fields=["word_count"], name="search_doc_words"),
            models.Index(fields=["kudos_count"], name="search_doc_kudos"),
            models.Index(fields=["hit_count"], name="search_doc_hits"),
            models.Index(fields=["comment_count"], name="search_doc_comments"),
            models.Index(fields=["bookmark_count"], name="search_doc_bookmarks"),
            models.Index(fields=["title_key"], name="search_doc_title"),
            models.Index(fields=["creator_key"], name="search_doc_creator"),
        ]

    def __str__(self) -> str:
        return f"search document of work {self.work_id}"


class WorkChange(models.Model):
    """An append-only log of works whose index entries changed, in commit order.

    In-process accelerators (polis.search.accel) read it to stay exact without rebuilding,
    and a loaded snapshot (polis.search.snapshot) replays what came after it. Rows older than
    POLIS_CHANGELOG_KEEP_DAYS and below the saved snapshot's mark are trimmed
    (polis.search.changelog); a process behind the trimmed part rebuilds.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # A work's newest change is its blurb's version (polis.search.fragments); a trim's
        # marker rows (negative work ids) are read by the same index.
        indexes = [models.Index(fields=["work_id", "id"], name="search_change_work")]

    def __str__(self) -> str:
        return f"change {self.pk} of work {self.work_id}"


class SavedSearch(models.Model):
    """A listing or search a reader keeps: its URL (path and query) under a name they chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000)  # "/tags/Fluff/works?work_search[...]=..."
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="search_savedsearch_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.query


class TagBlock(models.Model):
    """A tag whose works this user never wants listed (their blocklist), wherever they browse.

    The tag is kept as the user chose it; listings resolve it when they run, so a synonym
    blocks its canonical tag and follows later wrangling.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_blocks"
    )
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="search_tagblock_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} blocks {self.tag_id}"
