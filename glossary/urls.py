from django.urls import path

from editorial.urls import record_pages
from glossary import views
from glossary.models import GlossaryTerm

app_name = "glossary"
urlpatterns = [
    path("", views.glossary, name="list"),
    *record_pages(GlossaryTerm, "<slug:slug>/", views.glossary_detail),
]
