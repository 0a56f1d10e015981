"""The API's Swagger UI, served from Django Ninja's own static files instead of a CDN."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    """Swagger UI from `ninja/static/ninja/` (needs "ninja" in INSTALLED_APPS to be served)."""

    template = "api/docs.html"
    # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"api": api, "swagger_settings": swagger_settings}
        return render(request, self.template, context)
