"""docs/deploy.md says what the settings do: the proxy's body limit, HSTS, the proxy setting."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_security_headers import _setting

DEPLOY = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
MIB = 1024 * 1024


def test_every_proxy_body_limit_lets_polis_answer_413_itself():
    limits = re.findall(r"client_max_body_size (\d+)m;", DEPLOY)
    assert len(limits) == 2
    django_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert django_limit == 16 * MIB
    assert "up to 16 MiB (`DATA_UPLOAD_MAX_MEMORY_SIZE`" in DEPLOY
    for limit in limits:
        assert django_limit < int(limit) * MIB <= django_limit + MIB


@pytest.mark.django_db
def test_the_documented_hsts_header_is_the_one_sent(client, settings):
    settings.SECURE_HSTS_SECONDS = int(_setting("SECURE_HSTS_SECONDS", POLIS_BEHIND_TLS_PROXY="1"))
    header = client.get("/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000"
    assert f"`Strict-Transport-Security: {header}`" in DEPLOY
    assert "Strict-Transport-Security" not in client.get("/", secure=False)


def test_the_documented_proxy_setting_is_the_real_one():
    assert hasattr(settings, "POLIS_TRUSTED_PROXIES")
    assert "POLIS_TRUSTED_PROXIES=127.0.0.1" in DEPLOY
