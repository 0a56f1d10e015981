"""Images in chapter text: local files under MEDIA_ROOT, checked by their first bytes."""

import base64
import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

MAX_IMAGE_BYTES = 20 * 1024 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_FORBIDDEN = frozenset({"script", "style", "foreignObject", "iframe", "use", "image"})


@dataclass(frozen=True)
class Image:
    """A verified local image."""

    data: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/svg+xml": "svg"}.get(
            self.media_type, self.media_type.removeprefix("image/")
        )

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:20]

    @property
    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def _is_safe_svg(data: bytes) -> bool:
    """A standalone SVG without scripts, external references or foreign content."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    if root.tag != f"{SVG_NS}svg":
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(SVG_NS):
            return False
        if element.tag.removeprefix(SVG_NS) in _SVG_FORBIDDEN:
            return False
        if any(name.lower().startswith("on") or "href" in name for name in element.attrib):
            return False
    return True


def sniff_media_type(data: bytes) -> str | None:
    """The image media type from the file's magic bytes, or None if it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip().lower()
    if (head.startswith((b"<?xml", b"<svg")) and b"<svg" in data[:4096]) and _is_safe_svg(data):
        return "image/svg+xml"
    return None


def local_media_path(src: str) -> Path | None:
    """The file under MEDIA_ROOT that `src` names (`/media/...`), or None."""
    media_url = settings.MEDIA_URL
    if not media_url.startswith("/"):
        return None
    path = unquote(urlsplit(src.strip()).path)
    if urlsplit(src.strip()).netloc or not path.startswith(media_url):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = (root / path.removeprefix(media_url)).resolve()
    # resolve() follows `..` and symlinks: refuse anything that ends up outside MEDIA_ROOT.
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def load_local_image(src: str) -> Image | None:
    """The image at a local `/media/...` src if it exists and really is an image."""
    path = local_media_path(src)
    if path is None:
        return None
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    media_type = sniff_media_type(data)
    return Image(data, media_type) if media_type else None


def is_external(src: str) -> bool:
    return urlsplit(src.strip()).scheme.lower() in {"http", "https"}
