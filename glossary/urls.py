from django.urls import path

from core.citations import cite
from editorial.changelog import changelog
from glossary import views
from glossary.models import GlossaryTerm

app_name = "glossary"
urlpatterns = [
    path("", views.glossary, name="list"),
    path("<slug:slug>/", views.glossary_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite, {"model": GlossaryTerm}, name="cite"),
    path("<slug:slug>/changes/", changelog, {"model": GlossaryTerm}, name="changes"),
]
