from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "reference"
    verbose_name = "Reference records"

    def ready(self):
        from core.registry import registry
        from reference.models import Country, Theme

        registry.api_keys.update({Theme: "theme", Country: "country"})
