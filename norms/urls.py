from django.urls import path

from norms import views

app_name = "norms"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:framework>/", views.framework_detail, name="framework"),
    path("<slug:framework>/<slug:norm>/", views.norm_detail, name="detail"),
]
