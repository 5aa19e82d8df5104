from django.apps import AppConfig


class VisualConfig(AppConfig):
    name = "visual"
    verbose_name = "Visual: timeline, maps, link graph, comparison"
