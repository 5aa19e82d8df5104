"""The spreadsheet formats of the admin's import and export, loaded when used.

django-import-export lists the formats it offers when the admin starts, asking tablib
for each one; tablib then imports the library behind it: openpyxl for XLSX (with Pillow)
and PyYAML for YAML, 17 MB in every web worker for what an editor uses now and then.
Registered here instead (tablib's own ``registry.register``), each format is a
``LazyFormat`` that says its name and extensions at once and imports tablib's own format
class, and with it the library, the first time a file is read or written in it.
``editorial.apps`` registers them as the app loads, before the admin is discovered.
"""

from functools import cached_property
from importlib.util import find_spec

from tablib.formats import load_format_class, registry

# tablib's key for each format: its extensions, tablib's own class, the library it needs.
LAZY = {
    "xlsx": (("xlsx",), "tablib.formats._xlsx.XLSXFormat", "openpyxl"),
    "yaml": (("yaml", "yml"), "tablib.formats._yaml.YAMLFormat", "yaml"),
}


class LazyFormat:
    """A tablib format that imports its class when a file is read, written or detected."""

    def __init__(self, title: str, extensions: tuple[str, ...], path: str):
        self.title, self.extensions, self.path = title, extensions, path

    @cached_property
    def loaded(self):
        return load_format_class(self.path)

    def import_set(self, *args, **kwargs):
        return self.loaded.import_set(*args, **kwargs)

    def export_set(self, *args, **kwargs):
        return self.loaded.export_set(*args, **kwargs)

    def import_book(self, *args, **kwargs):
        return self.loaded.import_book(*args, **kwargs)

    def export_book(self, *args, **kwargs):
        return self.loaded.export_book(*args, **kwargs)

    def detect(self, *args, **kwargs):
        return self.loaded.detect(*args, **kwargs)


def register() -> None:
    """Put a ``LazyFormat`` in place of each format tablib registered by its path (as
    tablib does, only when the library behind it is installed)."""
    for key, (extensions, path, library) in LAZY.items():
        if find_spec(library):
            registry.register(key, LazyFormat(key, extensions, path))
