"""Readers' feedback in the API v1, one module per concept; `v1.py` registers `routers`."""

from polis.api.engagement import bookmarks, feedback, readers
from polis.api.engagement.common import install

routers = [feedback.router, bookmarks.router, readers.router]

__all__ = ["install", "routers"]
