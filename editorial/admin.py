"""The admin base every record type's admin extends: workflow, history, import and export."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.models import Status
from editorial import review
from editorial.resources import resource_for
from editorial.sites import install as install_admin_site
from editorial.workflow import PUBLIC, can_publish, check_transition
from reference.admin import (
    CitationInline,
    HasSourceListFilter,
    PickableAdmin,
    ThemedItemInline,
    ThemeListFilter,
)

# The change form's workflow buttons (submit name -> the status it moves the record to).
BUTTONS = {
    "_submit_for_review": Status.REVIEW,
    "_publish": Status.PUBLISHED,
    "_return_to_editor": Status.DRAFT,
}


class WorkflowForm(forms.ModelForm):
    """A record's form with the note that goes with a submission or a return."""

    workflow_note = forms.CharField(
        required=False,
        max_length=500,
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="To the reviewer when you submit; to the editor when you return it "
        "(required then). Kept in the record's history.",
    )

    def clean(self):
        cleaned = super().clean()
        if "_return_to_editor" in self.data and not cleaned.get("workflow_note", "").strip():
            self.add_error("workflow_note", "Say what the editor should change.")
        return cleaned


class EntryAdmin(ImportExportMixin, SimpleHistoryAdmin, PickableAdmin):
    """What every record type's admin shares: workflow, history, import and export."""

    list_display = ["title", "status", "updated"]
    list_filter = ["status", ThemeListFilter, HasSourceListFilter]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated", "preview"]
    inlines = [CitationInline, ThemedItemInline]
    exclude = ["themes"]  # edited through the themes inline, which has autocomplete
    list_per_page = 50
    save_on_top = True
    form = WorkflowForm
    change_form_template = "admin/editorial/change_form.html"
    actions = ["submit_for_review", "publish", "unpublish", "archive"]
    history_list_display = ["status"]

    class Media:
        js = ["js/admin-slugs.js", "js/admin-names.js"]
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Description as visitors see it")
    def preview(self, obj):
        if not obj.pk or not obj.description_html:
            return "Save to see the description rendered (Markdown, sanitized)."
        return format_html('<div class="markdown-preview">{}</div>', obj.description_html)

    # -- Import and export -------------------------------------------------------

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    resource_extra: tuple[str, ...] = ()  # importable fields beyond the public ones

    def get_resource_classes(self, request):
        return [resource_for(self.model, self.resource_extra)]

    def generate_log_entries(self, result, request):
        """One entry in the admin log for the whole import, not one per row."""
        totals = result.totals
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(self.model),
            object_repr=f"Bulk import: {totals['new']} new, {totals['update']} updated",
            action_flag=CHANGE,
            change_message=f"Imported {len(result.rows)} rows",
        )

    # -- Who may do what -------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None) -> bool:
        # Editors cannot touch what the public sees; reviewers can.
        if obj is not None and obj.status in PUBLIC and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [(s.value, s.label) for s in (Status.DRAFT, Status.REVIEW)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # -- The form: workflow buttons, the note, and what changed since publication ------

    def get_fields(self, request, obj=None):
        # The note is shown with the buttons it goes with (change_form.html), not among
        # the record's fields.
        return [f for f in super().get_fields(request, obj) if f != "workflow_note"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        status = obj.status if obj is not None else Status.DRAFT
        publisher = self.has_publish_permission(request)
        context["workflow"] = {
            "can_submit": status == Status.DRAFT,
            "can_publish": publisher and status in (Status.DRAFT, Status.REVIEW),
            "can_return": publisher and status == Status.REVIEW,
            "note": review.last_note(obj) if obj is not None else None,
            # What the reviewer reads before publishing.
            "changes": review.changes_since_published(obj)
            if obj is not None and publisher and status == Status.REVIEW
            else None,
            "never_published": obj is None or review.last_published(obj) is None,
            "in_review": status == Status.REVIEW,
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- Saving ------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        button = next((name for name in BUTTONS if name in request.POST), None)
        if button:
            obj.status = BUTTONS[button]
            note = form.cleaned_data.get("workflow_note", "").strip()
            reason = {
                "_submit_for_review": review.SUBMITTED,
                "_publish": "Published",
                "_return_to_editor": review.RETURNED,
            }[button]
            obj._change_reason = f"{reason}: {note}" if note else reason
        check_transition(request.user, obj, old)
        if not change:
            self.warn_about_similar_titles(request, obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if obj.status == Status.PUBLISHED:
            missing = obj.missing_for_publication()
            if missing:
                obj.status = Status.REVIEW
                obj._change_reason = "Publication refused: " + ", ".join(missing)
                obj.save(update_fields=["status", "updated"])
                self.message_user(
                    request,
                    f"“{obj}” was saved but not published: it needs {_and(missing)}. "
                    "It is now in review.",
                    messages.ERROR,
                )

    def warn_about_similar_titles(self, request, obj) -> None:
        similar = (
            type(obj)
            .objects.annotate(similarity=TrigramSimilarity("title", obj.title))
            .filter(similarity__gte=0.5)
            .order_by("-similarity")[:3]
        )
        for other in similar:
            self.message_user(
                request,
                f"Check for a duplicate: “{other}” has a similar title.",
                messages.WARNING,
            )

    # -- Actions -----------------------------------------------------------------

    def _move(self, request, queryset, status, verb, check=False):
        moved, refused = 0, []
        for obj in queryset:
            missing = obj.missing_for_publication() if check else []
            if missing:
                refused.append(f"“{obj}” needs {_and(missing)}")
                continue
            obj.status = status
            obj._change_reason = verb.capitalize()
            obj.save()
            moved += 1
        if moved:
            self.message_user(request, f"{verb.capitalize()}: {moved} record(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not published: {line}.", messages.ERROR)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        if not self.has_publish_permission(request) and queryset.filter(status__in=PUBLIC).exists():
            raise PermissionDenied("Only reviewers can change public records.")
        self._move(request, queryset.filter(status=Status.DRAFT), Status.REVIEW, "submitted")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED, "published", check=True)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(request, queryset, Status.DRAFT, "unpublished")

    @admin.action(description="Archive", permissions=["publish"])
    def archive(self, request, queryset):
        self._move(request, queryset, Status.ARCHIVED, "archived")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


admin.site.site_header = "Cyberdiplo editing"
admin.site.site_title = "Cyberdiplo editing"
admin.site.index_title = "Records, review and history"

# Two-factor login for staff when ADMIN_REQUIRE_OTP is on (editorial/sites.py).
install_admin_site()
