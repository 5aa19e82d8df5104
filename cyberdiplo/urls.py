"""The site's URLs: each app's own, mounted here, the one place that knows every app."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.health import healthz, readyz
from reference.urls import countries, themes
from research.feeds import ThemeFeed
from research.wellknown import robots_txt, security_txt

# A theme's feed lives with the theme's pages; the feeds are the research layer's.
themes = ([*themes[0], path("<slug:slug>/feed.atom", ThemeFeed(), name="feed")], themes[1])

# The pages, in English at / and in French and Spanish under /fr/ and /es/; the API, the
# admin and the probes once, outside.
urlpatterns = i18n_patterns(
    path("", include("research.urls")),
    path("", include("visual.urls")),
    path("norms/", include("norms.urls")),
    path("bodies/", include("bodies.urls")),
    path("agreements/", include("agreements.urls")),
    path("glossary/", include("glossary.urls")),
    # /incidents/ and /responses/ (incidents/urls.py names both).
    path("", include("incidents.urls")),
    path("positions/", include("positions.urls")),
    path("profiles/", include("profiles.urls")),
    path("paths/", include("paths.urls")),
    path("themes/", include(themes)),
    path("countries/", include(countries)),
    prefix_default_language=False,
) + [
    path("api/v1/", include("research.api.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    # Probes for a supervisor or a load balancer (core/health.py).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.not_found"
