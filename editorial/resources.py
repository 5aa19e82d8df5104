"""Bulk import and export of records in the admin (django-import-export, CSV and XLSX).

Each record type's resource derives from its declaration: the shared columns
and the model's ``public_fields``, a related record given by its slug. Rows are
matched by the fields that make a slug unique (a norm by framework and slug).
Every row is validated like an admin form; if any row is invalid, nothing is
imported and every bad row is listed with its reason. A row follows the
workflow's rule (``check_transition``) as an admin form does: an editor imports
drafts and records in review only, and never changes a record the public can
see (a published or archived one); that needs a reviewer.
"""

from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from import_export import fields, resources
from import_export.widgets import CharWidget, ForeignKeyWidget

from core.models import Status
from editorial.workflow import check_transition


class EntryResource(resources.ModelResource):
    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def before_import_row(self, row, **kwargs):
        if not row.get("status"):
            row["status"] = Status.DRAFT

    def after_init_instance(self, instance, new, row, **kwargs):
        # The status the record has in the database, before the row's values are applied.
        instance._status_before_import = None if new else instance.status

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Without a user (an import outside the admin), nobody may publish.
            user = self.user or AnonymousUser()
            check_transition(user, instance, instance._status_before_import)
        except PermissionDenied as refusal:
            errors["status"] = [f"This row needs a reviewer. {refusal}"]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        # All rows of one import share one reason in their history.
        instance._change_reason = f"Bulk import of {kwargs.get('file_name') or 'a file'}"


def identifying_fields(model) -> tuple[str, ...]:
    """The fields that name one record: the unique constraint that includes ``slug``."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and "slug" in constraint.fields:
            return tuple(constraint.fields)
    return ("slug",)


@cache
def resource_for(model, extra: tuple[str, ...] = ()) -> type[EntryResource]:
    """The import resource of a record type: its identity, title, public fields, then text."""
    ids = identifying_fields(model)
    own = [name for name in model.public_fields if name not in ids]
    columns = (*ids, "title", *own, *extra, "summary", "description", "wikidata", "status")
    attrs = {}
    for name in columns:
        field = model._meta.get_field(name)
        if field.many_to_one:
            attrs[name] = fields.Field(
                column_name=name,
                attribute=name,
                widget=ForeignKeyWidget(field.related_model, field="slug"),
            )
        elif field.get_internal_type() == "TextField" and not field.null:
            # An empty spreadsheet cell reads as None, not "": text the way import-export
            # already reads a CharField (a TextField it leaves as None, which no save takes).
            attrs[name] = fields.Field(
                column_name=name, attribute=name, widget=CharWidget(allow_blank=True)
            )
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": columns,
            "import_id_fields": ids,
            "clean_model_instances": True,
            "skip_unchanged": True,
            "report_skipped": True,
        },
    )
    return type(f"{model.__name__}Resource", (EntryResource,), attrs)
