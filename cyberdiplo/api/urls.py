from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cyberdiplo.api import views

router = DefaultRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("frameworks", views.NormFrameworkViewSet, basename="framework")
router.register("glossary", views.GlossaryTermViewSet, basename="term")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("countries", views.CountryViewSet, basename="country")

app_name = "api"
urlpatterns = [
    path("norms/", views.NormViewSet.as_view({"get": "list"}), name="norm-list"),
    path(
        "norms/<slug:framework>/<slug:slug>/",
        views.NormViewSet.as_view({"get": "retrieve"}),
        name="norm-detail",
    ),
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
