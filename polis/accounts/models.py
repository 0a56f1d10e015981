"""Users, their pseuds, preferences and invitations."""

import secrets

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse


class UserManager(DjangoUserManager):
    """Django's manager, plus the default pseud for users made by createsuperuser or code.

    Sign-up (the allauth adapter) and the admin call `user_setup` themselves; this covers every
    other path that goes through the manager. Explicit on purpose: no post_save signal.
    """

    def create_user(self, username, email=None, password=None, **extra_fields):
        # Imported here: actions import this module.
        from polis.accounts.actions import user_setup

        with transaction.atomic(using=self.db):
            user = super().create_user(username, email, password, **extra_fields)
            user_setup(user=user)
        return user

    create_user.alters_data = True

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        from polis.accounts.actions import user_setup

        with transaction.atomic(using=self.db):
            user = super().create_superuser(username, email, password, **extra_fields)
            user_setup(user=user)
        return user

    create_superuser.alters_data = True

    async def acreate_user(self, username, email=None, password=None, **extra_fields):
        return await sync_to_async(self.create_user)(username, email, password, **extra_fields)

    acreate_user.alters_data = True

    async def acreate_superuser(self, username, email=None, password=None, **extra_fields):
        return await sync_to_async(self.create_superuser)(username, email, password, **extra_fields)

    acreate_superuser.alters_data = True


class User(AbstractUser):
    """An account. Writing happens under pseuds; every user has a default one."""

    # AO3 preference: show Mature/Explicit/Not Rated works without the caution page.
    view_adult = models.BooleanField("Show me adult content without checking", default=False)
    is_tag_wrangler = models.BooleanField("Tag wrangler", default=False)
    # Reader preferences used by polis.engagement.
    history_enabled = models.BooleanField("Keep a history of the works I read", default=True)
    notification_emails = models.BooleanField(
        "E-mail me a digest of my notifications", default=True
    )
    # Moderation (polis/accounts/roles.py for staff roles): a suspended account reads and keeps
    # its data but may not post, comment, leave kudos, bookmark or invite until this time; a
    # banned one is suspended for good.
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned = models.BooleanField(default=False)
    # Reader preference: show "similar works" on work pages.
    similar_works_enabled = models.BooleanField("Show me similar works", default=True)

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", kwargs={"username": self.username})


class Pseud(models.Model):
    """A name a user writes under, shown in bylines (`/users/NAME/pseuds/PSEUD`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                "user", Lower("name"), name="accounts_pseud_user_name_ci_unique"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_pseud_one_default",
            ),
        ]

    def __str__(self) -> str:
        if self.name == self.user.username:
            return self.name
        return f"{self.name} ({self.user.username})"

    def get_absolute_url(self) -> str:
        return reverse(
            "accounts:pseud", kwargs={"username": self.user.username, "pseud": self.name}
        )


def _invitation_token() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """A single-use code that lets someone sign up while sign-up is by invitation only."""

    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token


class Mute(models.Model):
    """`user` no longer sees `muted`'s works, series, bookmarks and comments (nor counts them)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="accounts_mute_unique"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("muted")), name="accounts_mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.muted}"


class Block(models.Model):
    """`blocked` may no longer comment on, reply to, or give kudos to `user`'s works."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="accounts_block_unique"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("blocked")), name="accounts_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} blocks {self.blocked}"


class InvitationRequest(models.Model):
    """An address waiting in the "get an invitation" queue (AO3's invite queue).

    Staff release the oldest requests (`polis.accounts.invitation_queue`): each gets an
    `Invitation` for its address and an e-mail with the sign-up link. `token` lets the
    requester look up their place without an account.
    """

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    released_at = models.DateTimeField(null=True, blank=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_invitation_request_email_ci"),
        ]

    def __str__(self) -> str:
        return self.email


class ReadingPreferences(models.Model):
    """How a reader wants pages to look (guests keep the same values in a signed cookie, see
    polis/accounts/reading.py). Every value is one of a fixed list: pages apply them as classes
    on <html>, so no reader's value is ever written into a stylesheet."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "Follow my system"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    class Skin(models.TextChoices):
        DEFAULT = "default", "Default"
        DARK = "dark", "Dark"
        HIGH_CONTRAST = "high-contrast", "High contrast"
        LOW_VISION = "low-vision", "Low vision"
        PARCHMENT = "parchment", "Parchment (reading only)"

    class FontFamily(models.TextChoices):
        SERIF = "serif", "Serif (Georgia)"
        SANS = "sans", "Sans-serif"
        MONO = "mono", "Monospace"

    class FontSize(models.TextChoices):
        SMALL = "90", "Small (90%)"
        NORMAL = "100", "Normal (100%)"
        LARGE = "115", "Large (115%)"
        LARGER = "130", "Larger (130%)"
        LARGEST = "160", "Largest (160%)"

    class TextWidth(models.TextChoices):
        NARROW = "narrow", "Narrow (about 55 characters)"
        COMFORTABLE = "comfortable", "Comfortable (about 70 characters)"
        WIDE = "wide", "Wide (about 90 characters)"
        FULL = "full", "The whole window"

    class LineSpacing(models.TextChoices):
        COMPACT = "compact", "Compact"
        NORMAL = "normal", "Normal"
        RELAXED = "relaxed", "Relaxed"
        DOUBLE = "double", "Double"

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="reading_preferences", primary_key=True
    )
    theme = models.CharField(
        "Light or dark", max_length=10, choices=Theme.choices, default=Theme.SYSTEM
    )
    skin = models.CharField("Site skin", max_length=20, choices=Skin.choices, default=Skin.DEFAULT)
    font_family = models.CharField(
        "Font", max_length=10, choices=FontFamily.choices, default=FontFamily.SERIF
    )
    font_size = models.CharField(
        "Text size", max_length=4, choices=FontSize.choices, default=FontSize.NORMAL
    )
    text_width = models.CharField(
        "Text width", max_length=12, choices=TextWidth.choices, default=TextWidth.COMFORTABLE
    )
    line_spacing = models.CharField(
        "Line spacing", max_length=10, choices=LineSpacing.choices, default=LineSpacing.NORMAL
    )
    hide_work_skins = models.BooleanField("Hide creators' styles (work skins)", default=False)
    view_full_work = models.BooleanField("Show the whole work by default", default=False)

    def __str__(self) -> str:
        return f"Reading preferences of {self.user_id}"
