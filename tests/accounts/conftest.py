"""Fixtures for account tests: logged-in users."""

import pytest

PASSWORD = "a-long-test-password"


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
