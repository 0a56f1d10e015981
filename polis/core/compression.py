"""Compress text responses (pages, JSON, feeds); leave files that are compressed already."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/atom+xml", "application/xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZip (with its BREACH padding) for pages only: EPUB, PDF and images are
    compressed formats, and downloads (any file sent as an attachment, HTML books included)
    are sent byte for byte as the guest fast path sends them."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE) or response.has_header("Content-Disposition"):
            return response
        return super().process_response(request, response)
