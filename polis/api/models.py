"""Personal API tokens: only a hash is stored, the token itself is shown once."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token a user made for scripts and apps; revoking deletes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)  # sha256 hex
    prefix = models.CharField(max_length=8, editable=False)  # shown so users can tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
