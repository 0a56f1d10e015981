"""The REST API, version 1 (Django Ninja)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Polis API", version="1", urls_namespace="api-v1")
