"""Works fixtures: a writer and a client logged in as them (modules may define their own)."""

import pytest


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client
