from django.apps import AppConfig


class PathsConfig(AppConfig):
    name = "paths"
    verbose_name = "Learning paths"

    def ready(self):
        from paths import records

        records.register()
        records.connect()
