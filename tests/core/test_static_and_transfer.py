"""Static files carry hashed names browsers keep for a year or more; text is sent gzipped;
files that are compressed already are sent as they are; /favicon.ico finds the site icon."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 3600


def _stylesheet(client: Client) -> str:
    page = client.get("/").content.decode()
    # The site's stylesheet comes first (reading.css and a chosen skin follow it).
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(hrefs) == 2, hrefs  # site.css, reading.css (the default skin adds none)
    return hrefs[0]


def test_before_collectstatic_pages_link_the_plain_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    assert _stylesheet(Client()) == "/static/polis/site.css"


def test_collected_files_get_hashed_names_cached_for_at_least_a_year(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    # The site's own files are enough here (the admin's and the API docs' take a minute).
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin/*", "ninja/*"]
    )
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts

    href = _stylesheet(client)
    assert re.fullmatch(r"/static/polis/site\.[0-9a-f]{12}\.css", href), href
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= YEAR
    assert response["Content-Encoding"] == "gzip"  # precompressed by collectstatic


def test_pages_are_sent_gzipped_to_browsers_that_accept_it(make_work):
    make_work(title="Compressible")
    response = Client().get("/works", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Compressible" in gzip.decompress(response.content).decode()
    plain = Client().get("/works")
    assert not plain.has_header("Content-Encoding")


def test_api_json_is_gzipped_and_epub_downloads_are_not(make_work):
    work = make_work(title="Zipped Already")
    client = Client()
    api = client.get("/api/v1/works", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"
    epub = client.get(f"/downloads/{work.pk}/Zipped.epub", HTTP_ACCEPT_ENCODING="gzip")
    assert epub.status_code == 200
    assert not epub.has_header("Content-Encoding")
    assert b"".join(epub.streaming_content if epub.streaming else [epub.content])[:2] == b"PK"


def test_favicon_ico_redirects_to_the_site_icon(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    response = Client().get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/polis/favicon.svg")
