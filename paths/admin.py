from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.urls import Resolver404, resolve

from core.models import lookup_from_url
from editorial.admin import EntryAdmin
from paths.models import LearningPath, PathStep, step_models
from reference.admin import LoadedRowsInline


def record_at(address: str):
    """The record whose page is ``address`` (a full URL or a path such as
    /agreements/budapest-convention/), or None."""
    try:
        match = resolve(urlsplit(address.strip()).path or "/")
    except Resolver404:
        return None
    model = next((m for m in step_models() if m.url_name == match.view_name), None)
    if model is None:
        return None
    return model.objects.filter(**lookup_from_url(match.kwargs)).first()


class PathStepForm(forms.ModelForm):
    """A step names its record by the address of the record's page, as an editor copies it
    from the site; the record's type and id follow from it."""

    record_page = forms.CharField(
        label="Record page",
        max_length=500,
        help_text="The address of the record's page, e.g. /agreements/budapest-convention/.",
    )

    class Meta:
        model = PathStep
        fields = ["position", "record_page", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.record is not None:
            self.initial["record_page"] = self.instance.record.get_absolute_url()

    def clean_record_page(self):
        address = self.cleaned_data["record_page"]
        record = record_at(address)
        if record is None:
            raise forms.ValidationError(
                f"“{address[:100]}” is not the page of a record of this site. Open the "
                "record on the site and copy its address."
            )
        self.instance.content_type = ContentType.objects.get_for_model(record)
        self.instance.object_id = record.pk
        return address


class PathStepInline(LoadedRowsInline, admin.TabularInline):
    model = PathStep
    form = PathStepForm
    extra = 1
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        # Each row names its record by its page: the records in a query per type, each
        # with what its address needs (a norm its framework).
        records = [model.objects.named() for model in step_models()]
        return (
            super()
            .get_queryset(request)
            .select_related("content_type")
            .prefetch_related(GenericPrefetch("record", records))
        )


@admin.register(LearningPath)
class PathAdmin(EntryAdmin):
    list_display = ["title", "level", "minutes", "status", "updated"]
    list_filter = ["level", *EntryAdmin.list_filter]
    inlines = [PathStepInline, *EntryAdmin.inlines]
