"""The reader's address behind a trusted proxy, the Content-Security-Policy, and HSTS."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from polis.core.ratelimit import client_key
from polis.core.security import ClientAddressMiddleware, client_address


def _address_seen(meta: dict) -> str:
    request = RequestFactory().get("/", **meta)
    seen = {}

    def view(request):
        seen["key"] = client_key(request)

    ClientAddressMiddleware(view)(request)
    return seen["key"]


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.POLIS_TRUSTED_PROXIES = ""
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert _address_seen(meta) == "ip:127.0.0.1"
    settings.POLIS_TRUSTED_PROXIES = "10.0.0.0/8"
    assert _address_seen(meta) == "ip:127.0.0.1"  # 127.0.0.1 is not one of the proxies


def test_behind_trusted_proxies_the_client_is_the_rightmost_untrusted_hop(settings):
    settings.POLIS_TRUSTED_PROXIES = "127.0.0.1, 10.0.0.0/8"
    # The reader forged the first entry; the proxies appended the real ones.
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.1.2.3"}
    assert _address_seen(meta) == "ip:198.51.100.7"
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert _address_seen(other) == "ip:198.51.100.8"  # two readers, two rate-limit keys


def test_a_malformed_or_all_proxy_chain_falls_back_to_the_peer(settings):
    settings.POLIS_TRUSTED_PROXIES = "127.0.0.1"
    assert client_address({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "x, 1"}) == (
        "127.0.0.1"
    )
    assert client_address({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}) == (
        "127.0.0.1"
    )
    assert client_address({"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"
    ipv6 = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}
    assert client_address(ipv6) == "2001:db8::1"


@pytest.mark.django_db
def test_every_page_carries_the_policy_no_inline_script_or_style(client, make_work):
    work = make_work()
    for url in ["/", f"/works/{work.pk}", "/api/v1/works"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def _setting(name: str, **env) -> str:
    # The settings module alone, no app set-up; a name it leaves unset is Django's default 0.
    code = f"import polis.settings as settings; print(getattr(settings, '{name}', 0))"
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "polis.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_hsts_only_behind_a_tls_proxy():
    assert _setting("SECURE_HSTS_SECONDS", POLIS_BEHIND_TLS_PROXY="") == "0"
    assert _setting("SECURE_HSTS_SECONDS", POLIS_BEHIND_TLS_PROXY="1") == "31536000"
