from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "bodies"
    verbose_name = "Cooperation bodies"

    def ready(self):
        from bodies import records

        records.register()
