from django.urls import path

from cyberdiplo.citations import cite
from norms import views
from norms.models import Norm, NormFramework

app_name = "norms"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:framework>/", views.framework_detail, name="framework"),
    path("<slug:framework>/<slug:norm>/", views.norm_detail, name="detail"),
    path("<slug:framework>/cite.<str:fmt>", cite, {"model": NormFramework}, name="framework-cite"),
    path("<slug:framework>/<slug:norm>/cite.<str:fmt>", cite, {"model": Norm}, name="cite"),
]
