"""Bulk import and export of records in the admin (django-import-export, CSV and XLSX).

Rows are matched by slug (a norm by its framework and slug). Every row is
validated like an admin form; if any row is invalid, nothing is imported and
every bad row is listed with its reason. Editors can import drafts and records
in review only: a row that would publish needs a reviewer.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from agreements.models import Agreement
from bodies.models import Body
from cyberdiplo.models import GlossaryTerm, Status
from cyberdiplo.workflow import PUBLIC, can_publish
from norms.models import Norm, NormFramework

ENTRY_FIELDS = ("slug", "title", "summary", "description", "status")


class EntryResource(resources.ModelResource):
    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def before_import_row(self, row, **kwargs):
        if not row.get("status"):
            row["status"] = Status.DRAFT

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.status in PUBLIC and not (
            self.user and can_publish(self.user, self._meta.model)
        ):
            errors["status"] = [
                f"“{instance.status}” needs a reviewer: editors import drafts or records in review."
            ]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        # All rows of one import share one reason in their history.
        instance._change_reason = f"Bulk import of {kwargs.get('file_name') or 'a file'}"


def entry_resource(model_class, extra: tuple[str, ...]):
    meta = type(
        "Meta",
        (),
        {
            "model": model_class,
            "fields": (*ENTRY_FIELDS[:2], *extra, *ENTRY_FIELDS[2:]),
            "import_id_fields": ("slug",),
            "clean_model_instances": True,
            "skip_unchanged": True,
            "report_skipped": True,
        },
    )
    return type(f"{model_class.__name__}Resource", (EntryResource,), {"Meta": meta})


AgreementResource = entry_resource(
    Agreement,
    ("short_title", "kind", "legally_binding", "symbol", "adopted", "entry_into_force", "ended",
     "legal_status", "status_as_of"),
)  # fmt: skip
BodyResource = entry_resource(Body, ("acronym", "kind", "founded", "seat", "website"))
NormFrameworkResource = entry_resource(NormFramework, ("short_title", "kind", "symbol", "adopted"))
GlossaryTermResource = entry_resource(GlossaryTerm, ())


class NormResource(EntryResource):
    framework = fields.Field(
        column_name="framework",
        attribute="framework",
        widget=ForeignKeyWidget(NormFramework, field="slug"),
    )

    class Meta:
        model = Norm
        fields = ("framework", "slug", "title", "reference", "quotation", "position",
                  "summary", "description", "status")  # fmt: skip
        import_id_fields = ("framework", "slug")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
