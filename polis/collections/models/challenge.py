"""Challenges run by a collection: sign-ups, prompts, claims, potential matches, assignments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ChallengeKind(models.TextChoices):
    GIFT_EXCHANGE = "gift_exchange", "Gift exchange"
    PROMPT_MEME = "prompt_meme", "Prompt meme"


class MatchingStatus(models.TextChoices):
    IDLE = "idle", "Not started"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Challenge(models.Model):
    """The settings of a collection's prompt meme or gift exchange, and its matching state."""

    collection = models.OneToOneField(
        "collections.Collection", on_delete=models.CASCADE, related_name="challenge"
    )
    kind = models.CharField(max_length=16, choices=ChallengeKind.choices)
    tag_set = models.ForeignKey(
        "collections.TagSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signup_opens_at = models.DateTimeField(null=True, blank=True)
    signup_closes_at = models.DateTimeField(null=True, blank=True)
    signup_instructions = models.TextField(blank=True)  # sanitized HTML
    requests_min = models.PositiveIntegerField(default=1)
    requests_max = models.PositiveIntegerField(default=1)
    offers_min = models.PositiveIntegerField(default=0)
    offers_max = models.PositiveIntegerField(default=0)
    # Gift exchange: how many of a recipient's requests a giver's offers must match.
    prompts_must_match = models.PositiveIntegerField(default=1)
    # Prompt meme: whether a prompt may be claimed by more than one person.
    allow_multiple_claims = models.BooleanField(default=True)
    allow_anonymous_prompts = models.BooleanField(default=True)
    assignments_due_at = models.DateTimeField(null=True, blank=True)
    # Potential-match generation runs as a background task and reports here.
    matching_status = models.CharField(
        max_length=16, choices=MatchingStatus.choices, default=MatchingStatus.IDLE
    )
    matching_progress = models.PositiveSmallIntegerField(default=0)  # percent
    matching_message = models.CharField(max_length=255, blank=True)
    matching_started_at = models.DateTimeField(null=True, blank=True)
    matching_finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every sign-up change: matches computed before the last change are stale.
    signups_changed_at = models.DateTimeField(default=timezone.now)
    assignments_generated_at = models.DateTimeField(null=True, blank=True)
    assignments_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requests_min__lte=models.F("requests_max")),
                name="collections_challenge_requests_range",
            ),
            models.CheckConstraint(
                condition=models.Q(offers_min__lte=models.F("offers_max")),
                name="collections_challenge_offers_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.collection_id}"

    @property
    def is_gift_exchange(self) -> bool:
        return self.kind == ChallengeKind.GIFT_EXCHANGE

    @property
    def is_prompt_meme(self) -> bool:
        return self.kind == ChallengeKind.PROMPT_MEME

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.signup_opens_at is None or now < self.signup_opens_at:
            return False
        return self.signup_closes_at is None or now < self.signup_closes_at

    @property
    def matches_current(self) -> bool:
        """Potential matches exist and no sign-up changed since they were computed."""
        return (
            self.matching_status == MatchingStatus.DONE
            and self.matching_started_at is not None
            and self.matching_started_at >= self.signups_changed_at
        )


class TagRule(models.Model):
    """Per tag type: how many tags a request/offer holds, whether "any" is allowed, and how
    many must be shared for a request and an offer to match (0 = not required)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="tag_rules")
    tag_type = models.CharField(max_length=16)
    request_min = models.PositiveIntegerField(default=0)
    request_max = models.PositiveIntegerField(default=0)
    offer_min = models.PositiveIntegerField(default=0)
    offer_max = models.PositiveIntegerField(default=0)
    allow_any = models.BooleanField(default=False)
    match_count = models.PositiveIntegerField(default=0)
    any_matches = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "tag_type"], name="collections_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_type} rule of {self.challenge_id}"


class Signup(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_signups"
    )
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="collections_signup_once"),
        ]

    def __str__(self) -> str:
        return f"sign-up of {self.user_id} to {self.challenge_id}"


class PromptKind(models.TextChoices):
    REQUEST = "request", "Request"
    OFFER = "offer", "Offer"


class Prompt(models.Model):
    """A request or an offer of a sign-up; in a prompt meme every prompt is a request."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="prompts")
    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=8, choices=PromptKind.choices)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)  # sanitized HTML: the optional details
    tags = models.ManyToManyField("tags.Tag", related_name="+", blank=True)
    # Tag types for which this prompt asks for or offers "any".
    any_types = models.JSONField(default=list, blank=True)
    anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signup_id", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "kind", "position"], name="collections_prompt_position"
            ),
        ]
        indexes = [models.Index(fields=["challenge", "kind"], name="collections_prompt_kind")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.position}"

    def get_absolute_url(self) -> str:
        return reverse(
            "collections:prompt",
            kwargs={"name": self.challenge.collection.name, "prompt_id": self.pk},
        )


class Claim(models.Model):
    """Someone's intent to fill a prompt; `work` is the fill once posted."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompt_claims"
    )
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.SET_NULL, related_name="fills"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["prompt", "user"], name="collections_claim_once"),
        ]

    def __str__(self) -> str:
        return f"claim of {self.prompt_id} by {self.user_id}"


class PotentialGivers(models.Model):
    """One recipient's potential givers: the best `POLIS_EXCHANGE_GIVERS_KEPT`, compactly.

    A 3,000-person exchange has millions of (giver, recipient) pairs; one row per recipient
    holding its best givers as a JSON list keeps storing and reading them to a few thousand
    rows. `givers` is `[[giver_signup_id, score, prompts_matched], ...]`, best score first
    (ties by sign-up id); `giver_count` counts every potential giver, kept or not. The
    matching task also solves the assignment on all pairs while it holds them in memory and
    records each recipient's giver in `proposed_giver` (always among the kept givers), so
    generating assignments afterwards loses nothing to the cut.
    """

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="potential_givers"
    )
    recipient = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+")
    givers = models.JSONField(default=list, blank=True)
    giver_count = models.PositiveIntegerField(default=0)
    proposed_giver = models.ForeignKey(
        Signup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_score = models.PositiveIntegerField(default=0)
    # True when the task solved the assignment; `proposed_giver` None then means "nobody".
    proposed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "recipient"], name="collections_potential_givers_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(proposed_giver=models.F("recipient")),
                name="collections_potential_givers_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"potential givers of {self.recipient_id}"

    def edges(self) -> dict[tuple[int, int], int]:
        """(giver, recipient) → score for the kept givers."""
        return {(giver, self.recipient_id): score for giver, score, _ in self.givers}


class Assignment(models.Model):
    """Who writes for `recipient`: a giver from the sign-ups, or a pinch hitter.

    An assignment without giver or pinch hitter is an unmatched recipient, listed for the
    moderators; a defaulted assignment waits for a pinch hitter.
    """

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assignments")
    recipient = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(
        Signup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinch_hitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pinch_hits",
    )
    score = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    defaulted_at = models.DateTimeField(null=True, blank=True)
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "recipient"], name="collections_assignment_recipient"
            ),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("recipient")),
                name="collections_assignment_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"assignment for {self.recipient_id}"

    @property
    def writer_id(self) -> int | None:
        """The user who currently owes this gift."""
        if self.pinch_hitter_id:
            return self.pinch_hitter_id
        if self.giver_id and not self.defaulted_at:
            return self.giver.user_id
        return None
