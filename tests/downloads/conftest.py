"""Downloads tests: files under a temporary data dir, tasks held."""

import pytest

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _downloads(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DUMMY_TASKS
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 100_000
