from django.urls import path

from editorial.urls import record_pages
from paths import views
from paths.models import LearningPath

app_name = "paths"
urlpatterns = [
    path("", views.path_list, name="list"),
    *record_pages(LearningPath, "<slug:slug>/", views.path_detail),
]
