from django.apps import AppConfig
from django.core.signals import request_finished
from django.db import models
from django.db.models.signals import post_migrate
from django.utils import translation


def back_to_the_default_language(**kwargs) -> None:
    """A request's language (its URL's, set by the middleware) ends with it: what runs
    between requests in the thread (a command, a test) reads pages in English."""
    translation.deactivate()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import compiled
        from core.pagecache import install_triggers

        # Once per migrate, after every app's tables exist.
        post_migrate.connect(install_triggers, sender=self)
        # A flush or a migrate may number the content types anew (Django's content type
        # cache is emptied then too): compiled queries hold their ids.
        post_migrate.connect(compiled.forget, sender=self)
        request_finished.connect(back_to_the_default_language)
        # ``field__any=[ids]`` (compiled.AnyOf), on keys and relations alike.
        models.Field.register_lookup(compiled.AnyOf)
        models.ForeignObject.register_lookup(compiled.AnyOf)
