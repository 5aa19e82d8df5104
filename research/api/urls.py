from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from core.registry import registry
from research.api import views

router = SimpleRouter()
nested = []
for record_type in registry:
    viewset = views.record_viewset(record_type)
    if record_type.api_lookup != ("slug",):
        prefix = record_type.api_prefix
        lookup = "/".join(f"<slug:{name}>" for name in record_type.api_lookup)
        nested += [
            path(f"{prefix}/", viewset.as_view({"get": "list"}), name=f"{record_type.key}-list"),
            path(
                f"{prefix}/{lookup}/",
                viewset.as_view({"get": "retrieve"}),
                name=f"{record_type.key}-detail",
            ),
        ]
    else:
        router.register(record_type.api_prefix, viewset, basename=record_type.key)
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("countries", views.CountryViewSet, basename="country")

app_name = "api"
urlpatterns = [
    path("", extend_schema(exclude=True)(views.APIRoot).as_view(), name="api-root"),
    *nested,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles; its scripts stay under the strict policy.
    path(
        "docs/",
        csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    *router.urls,
]
