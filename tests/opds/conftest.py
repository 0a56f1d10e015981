"""OPDS tests: XML parsed with the standard library; tokens made by the real action."""

import base64
from xml.etree import ElementTree as ET

import pytest

from polis.api.actions import token_create
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_set_canonical

NS = {
    "a": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/terms/",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUIRE = "http://opds-spec.org/acquisition"
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _files_and_tasks(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def parse(response, content_type: str = ACQUISITION) -> ET.Element:
    """The feed of a 200 response of this content type (ET refuses ill-formed XML)."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == content_type
    return ET.fromstring(response.content)


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext("a:title", namespaces=NS) for entry in feed.findall("a:entry", NS)]


def links(element: ET.Element) -> list[tuple[str, str, str]]:
    return [(ln.get("rel"), ln.get("type"), ln.get("href")) for ln in element.findall("a:link", NS)]


@pytest.fixture
def token_for(db):
    def make(user) -> str:
        return token_create(actor=user, name="e-reader")[1]

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(username: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@pytest.fixture
def canonical(make_user):
    wrangler = make_user("wrangler", is_tag_wrangler=True)

    def make(*names: str) -> None:
        for name in names:
            tag = Tag.objects.get(key=tag_key(name))
            tag_set_canonical(actor=wrangler, tag=tag, canonical=True)

    return make
