from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core.pagecache import install_triggers

        # Once per migrate, after every app's tables exist.
        post_migrate.connect(install_triggers, sender=self)
