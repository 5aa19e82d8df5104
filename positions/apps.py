from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "National positions"

    def ready(self):
        from positions import records

        records.register()
