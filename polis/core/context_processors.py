"""Values every template needs."""

from django.conf import settings
from django.http import HttpRequest

from polis.core.site_settings import site_settings

BANNER_COOKIE = "polis_banner_dismissed"


def site(request: HttpRequest) -> dict:
    current = site_settings()
    banner = current.banner_html
    if banner and request.COOKIES.get(BANNER_COOKIE) == str(current.banner_version):
        banner = ""  # this reader dismissed this version of it
    return {
        "site_name": settings.SITE_NAME,
        "signup_policy": current.signup,
        "site_banner": banner,
        "site_banner_version": current.banner_version,
        "site_downloads": current.downloads,  # download links are left out while off
    }
