from django.apps import AppConfig

from editorial import formats

# Before the admin is discovered (its ready()), which lists the import and export formats.
formats.register()


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial workflow"
