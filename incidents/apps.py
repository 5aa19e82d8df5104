from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents and responses"

    def ready(self):
        from incidents import records

        records.register()
