from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and instruments"

    def ready(self):
        from agreements import records

        records.register()
