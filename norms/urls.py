from django.urls import path

from core.citations import cite
from editorial.changelog import changelog
from norms import views
from norms.models import Norm, NormFramework

app_name = "norms"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:framework>/", views.framework_detail, name="framework"),
    # Before the norm pattern, which would otherwise read "changes" as a norm's slug.
    path(
        "<slug:framework>/changes/",
        changelog,
        {"model": NormFramework},
        name="framework-changes",
    ),
    path("<slug:framework>/cite.<str:fmt>", cite, {"model": NormFramework}, name="framework-cite"),
    path("<slug:framework>/<slug:norm>/", views.norm_detail, name="detail"),
    path("<slug:framework>/<slug:norm>/cite.<str:fmt>", cite, {"model": Norm}, name="cite"),
    path("<slug:framework>/<slug:norm>/changes/", changelog, {"model": Norm}, name="changes"),
]
