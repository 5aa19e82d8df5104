from django.urls import path

from editorial.urls import record_pages
from norms import views
from norms.models import Norm, NormFramework

app_name = "norms"
urlpatterns = [
    path("", views.index, name="index"),
    # Before the frameworks' pages: "lineage" would otherwise read as a framework's slug.
    path("lineage/<slug:slug>/", views.norm_lineage, name="lineage"),
    # The framework's pages first: "changes" would otherwise read as a norm's slug.
    *record_pages(NormFramework, "<slug:slug>/", views.framework_detail),
    *record_pages(Norm, "<slug:framework>/<slug:slug>/", views.norm_detail),
]
