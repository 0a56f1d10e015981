"""The API's documentation page: the OpenAPI schema rendered on the server, in the site's layout.

Swagger UI (379 serious accessibility violations, and nothing without JavaScript) gave way to a
plain page that lists every operation with its parameters and answers; tools read the same
schema at `/api/v1/openapi.json`.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    needs_token: bool
    parameters: list[Parameter] = field(default_factory=list)
    body: str = ""
    responses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_name(part) for part in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_name(schema.get('items', {}))}"
    return schema.get("type", "any")


def _operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    body = spec.get("requestBody", {}).get("content", {})
    body_type = ", ".join(
        f"{kind}: {_type_name(media.get('schema', {}))}" for kind, media in body.items()
    )
    return Operation(
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        anchor=spec.get("operationId", f"{method}{path}"),
        needs_token=bool(spec.get("security")),
        parameters=[
            Parameter(
                name=param["name"],
                where=param["in"],
                required=param.get("required", False),
                type=_type_name(param.get("schema", {})),
                description=param.get("description", param.get("schema", {}).get("title", "")),
            )
            for param in spec.get("parameters", [])
        ],
        body=body_type,
        responses=[
            (status, answer.get("description", ""))
            for status, answer in sorted(spec.get("responses", {}).items())
        ],
    )


def sections(schema: dict[str, Any]) -> list[Section]:
    """The schema's operations grouped by their first tag, in the schema's order."""
    grouped: dict[str, Section] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            name = (spec.get("tags") or ["other"])[0]
            section = grouped.setdefault(name, Section(name=name, anchor=f"section-{name}"))
            section.operations.append(_operation(method, path, spec))
    return list(grouped.values())


class ServerDocs(DocsBase):
    """`/api/v1/docs`: the operations as HTML, readable by keyboard, screen reader, no script."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "schema_url": self.get_openapi_url(api, kwargs),
            "sections": sections(schema),
        }
        return render(request, self.template, context)
