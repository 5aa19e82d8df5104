from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Country profiles"

    def ready(self):
        from profiles import records

        records.register()
