from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "norms"
    verbose_name = "Norms and frameworks"

    def ready(self):
        from norms import records

        records.register()
