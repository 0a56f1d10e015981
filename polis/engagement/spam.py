"""Comment spam heuristics: a comment that looks like spam is held for review, not refused."""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from polis.core.sanitizer import strip_tags

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
# How many other works may get the same text from one author in a day before it looks sprayed.
_SAME_TEXT_WORKS = 2
_MIN_REPEATED_LENGTH = 20


def normalized_text(content_html: str) -> str:
    return " ".join(strip_tags(content_html).casefold().split())


def text_hash(content_html: str) -> str:
    return hashlib.sha256(normalized_text(content_html).encode()).hexdigest()


def link_count(text: str) -> int:
    return len(_LINK.findall(text))


def _repetitive(words: list[str]) -> bool:
    """Long text made of very few distinct words ("buy buy buy…")."""
    return len(words) >= 30 and len(set(words)) / len(words) < 0.2


def spam_reason(*, text: str, content: str, author: Q, work_id: int) -> str:
    """Why this comment looks like spam, or "" if it does not.

    `author` selects the same author's earlier comments (by account or by guest key).
    """
    from polis.engagement.models import Comment

    max_links = settings.POLIS_COMMENT_MAX_LINKS
    if link_count(text) > max_links:
        return f"more than {max_links} links"
    normal = normalized_text(content)
    if _repetitive(normal.split()):
        return "repeated text"
    if len(normal) >= _MIN_REPEATED_LENGTH:
        since = timezone.now() - timedelta(days=1)
        other_works = (
            Comment.objects.filter(author, text_hash=text_hash(content), created_at__gte=since)
            .exclude(work_id=work_id)
            .values("work_id")
            .distinct()
            .count()
        )
        if other_works >= _SAME_TEXT_WORKS:
            return "the same text on several works"
    return ""
