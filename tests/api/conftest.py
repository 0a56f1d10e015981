"""API test helpers: a JSON client that sends a bearer token, tokens made by the real action."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from polis.accounts.models import User
from polis.api.actions import token_create

API = "/api/v1"


class ApiClient:
    """Django's test client speaking JSON, with `Authorization: Bearer` when given a token."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, **params: Any):
        send = getattr(self.client, method)
        if body is None:
            return send(API + path, params or None, headers=self.headers)
        return send(
            API + path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def get(self, path: str, **params: Any):
        return self._send("get", path, **params)

    def post(self, path: str, body: Any):
        return self._send("post", path, body)

    def patch(self, path: str, body: Any):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self._send("delete", path)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    def make(user: User) -> str:
        return token_create(actor=user, name="tests")[1]

    return make


@pytest.fixture
def api_as(token_for):
    """`api_as(user)` is a client with a fresh token of `user`; `api_as(None)` is anonymous."""

    def make(user: User | None) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return make


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob")


def fields(response) -> list[str | None]:
    """The field names an error answer mentions, in order."""
    return [error["field"] for error in response.json()["errors"]]


def work_body(**overrides: Any) -> dict:
    """A valid POST /works body with two chapters, HTML and plain text."""
    body = {
        "title": "The Long Way Round",
        "summary": "Two travellers.",
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["F/F"],
        "fandoms": ["The 100 (TV)"],
        "relationships": ["Clarke Griffin/Lexa"],
        "characters": ["Clarke Griffin", "Lexa"],
        "freeforms": ["Road Trip"],
        "chapters": [
            {"title": "Departure", "text": "<p>One two three four.</p>", "format": "html"},
            {"title": "Arrival", "text": "Five six\n\nseven eight nine.", "format": "text"},
        ],
    }
    body.update(overrides)
    return body
