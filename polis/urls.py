"""URL map. Shapes follow AO3's so readers' tools work with a one-line change."""

from django.contrib import admin
from django.urls import include, path

from polis.api import views as api_views
from polis.core import health
from polis.core import views as core_views
from polis.works import views as work_views

handler400 = "polis.core.views.bad_request"
# A database that cannot be opened (a read-only data directory) answers 503, not 500.
handler500 = "polis.core.degraded.server_error"

urlpatterns = [
    path("", work_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("health", health.health, name="health"),
    path("site_banner/dismiss", core_views.banner_dismiss, name="banner_dismiss"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("polis.accounts.urls")),
    path("", include("polis.accounts.invitation_urls")),
    path("", include("polis.search.urls")),
    path("", include("polis.works.urls")),
    path("", include("polis.tags.urls")),
    path("", include("polis.downloads.urls")),
    path("", include("polis.feeds.urls")),
    path("", include("polis.opds.urls")),
    path("", include("polis.engagement.urls")),
    path("", include("polis.collections.urls")),
    path("", include("polis.moderation.urls")),
    path("", include("polis.rights.urls")),
    path("", include("polis.imports.urls")),
    path("", include("polis.moderation.sanction_urls")),
    path("settings/tokens", api_views.token_settings, name="api_tokens"),
    path("api/v1/", include("polis.api.urls")),
]
