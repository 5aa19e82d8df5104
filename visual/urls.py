"""The pictures' own pages: /timeline/, /map/, /graph/, /compare/ and their data."""

from django.urls import path  # noqa: F401

app_name = "visual"

urlpatterns = []
