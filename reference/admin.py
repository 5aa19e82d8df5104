"""Admin for the reference records, and the inlines and filters every record's admin uses."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from core.forms import TranslationsField
from core.registry import registry
from reference.models import Citation, Country, Source, Theme, ThemedItem

# Themes are our own tag model; taggit's default Tag is unused and would only confuse editors.
admin.site.unregister(Tag)


# -- Autocomplete and inlines at a fixed number of queries------------------------


def is_autocomplete(request) -> bool:
    """Whether the request is the admin's autocomplete view (a picker asking for choices)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


PG_BIGINT_MAX = 2**63 - 1


class PeekPage(Page):
    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class PeekPaginator(Paginator):
    """Pages that learn whether another page follows by reading one row more.

    The autocomplete only asks "is there more?"; counting every match of a
    search costs a second query as long as the search itself.
    """

    def page(self, number: int) -> PeekPage:
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page >= PG_BIGINT_MAX:
            # PostgreSQL would refuse the OFFSET (a 500); no table has that many rows.
            raise EmptyPage(self.error_messages["no_results"])
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return PeekPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class SafeAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that re-renders a posted value which cannot be a key ("abc" for a
    number) as no choice: the form already reports it as invalid, and Django's widget
    would query with it and fail (a 500)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _is_key(target, v)], attr)


def _is_key(field: models.Field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class PickableAdmin(admin.ModelAdmin):
    """An admin whose records editors pick through autocomplete: one query per answer."""

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        if is_autocomplete(request):
            return PeekPaginator(queryset, per_page, *args, **kwargs)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A record's or a theme's translations: a box per language and field, not JSON.
        if db_field.name == "translations":
            return TranslationsField(
                self.model.translatable_fields,
                label="Translations",
                help_text="French and Spanish, field by field; a field left empty shows the "
                "English text on that language's pages, marked as English.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LoadedAutocompleteSelect(SafeAutocompleteSelect):
    """An autocomplete that labels its selected record with one already loaded.

    Django's widget fetches the selected record to label it, once per row: 80
    queries for 80 parties. The inline's formset gives every row's widget the
    records its rows already hold (``loaded``, by value); a value not among
    them falls back to Django's query.
    """

    loaded: dict[str, models.Model] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        loaded = self.loaded or {}
        if not selected <= loaded.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(loaded[key])
            options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class LoadedRowsFormSet:
    """Formset mixin: rows take their parent and their autocomplete labels from loaded rows."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        fk = getattr(self, "fk", None)  # generic inlines have none, and don't need one
        if fk is not None and i < self.initial_form_count():
            # A row's parent is the record on the page; naming the row must not fetch it again.
            fk.set_cached_value(form.instance, self.instance)
        return form

    @cached_property
    def forms(self):
        forms = super().forms
        loaded: dict[str, dict[str, models.Model]] = {}
        for form in forms:
            for name, _widget in _loaded_autocompletes(form):
                field = form.instance._meta.get_field(name)
                related = field.get_cached_value(form.instance, default=None)
                if related is not None:
                    value = getattr(related, field.target_field.attname)
                    loaded.setdefault(name, {})[str(value)] = related
        for form in forms:
            for name, widget in _loaded_autocompletes(form):
                widget.loaded = loaded.get(name, {})
        return forms


def _loaded_autocompletes(form):
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the "+" and "✎" wrapper
        if isinstance(widget, LoadedAutocompleteSelect):
            yield name, widget


class LoadedRowsInline:
    """An inline whose rows are named without a query per row.

    Each row's parent is the record on the page, and its autocompletes label
    their choice with the related record the row already holds. Pair it with a
    ``get_queryset`` that ``select_related``s the autocomplete fields and what
    their ``__str__`` needs.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            # The related admin's queryset names its records (a norm with its framework)
            # for the rare label the rows don't hold.
            related_admin = self.admin_site.get_model_admin(db_field.related_model)
            kwargs.setdefault("queryset", related_admin.get_queryset(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A row's fields sit under the table's column headings, with no <label> of their
        # own: each gets its column's name, so that a screen reader says what it is.
        for field in formset.form.base_fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return type(formset.__name__, (LoadedRowsFormSet, formset), {})


# -- Inlines and filters every record's admin uses ---------------------------------


class CitationInline(LoadedRowsInline, GenericTabularInline):
    model = Citation
    autocomplete_fields = ["source"]
    fields = ["source", "pinpoint", "position"]
    extra = 1
    verbose_name = "source"
    verbose_name_plural = "sources (every record needs at least one)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ThemedItemInline(LoadedRowsInline, GenericTabularInline):
    model = ThemedItem
    autocomplete_fields = ["tag"]
    extra = 1
    verbose_name_plural = "themes (every record needs at least one)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tag")


class ThemeListFilter(admin.SimpleListFilter):
    title = "theme"
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return Theme.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        return queryset.with_theme(self.value()) if self.value() else queryset


class HasSourceListFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "has_source"

    def lookups(self, request, model_admin):
        return [("no", "Has no source")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        return queryset


# -- Sources and themes that the public sees --------------------------------------


def used_by_public_record(links: models.QuerySet) -> bool:
    """Whether any of ``links`` (citations or themed items) ties to a record the public
    can open (published or archived, as ``reachable()`` of its own type says): one query."""
    types = ContentType.objects.get_for_models(*(record_type.model for record_type in registry))
    public = Q()
    for model, content_type in types.items():
        public |= Q(content_type=content_type, object_id__in=model.objects.reachable().values("pk"))
    return bool(public) and links.filter(public).exists()


class ReviewedOnceUsedAdmin(PickableAdmin, SimpleHistoryAdmin):
    """A reference record that editors add and edit freely until a record the public can
    see uses it; from then on only holders of ``publish_<model>`` (reviewers and
    administrators) change or delete it, since every public page using it would change.
    The server refuses, whatever the page shows: the change page becomes read-only."""

    def public_links(self, obj) -> models.QuerySet:
        raise NotImplementedError

    def has_publish_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def is_public(self, obj) -> bool:
        # Asked several times per page for one object: remember the answer on it.
        if not hasattr(obj, "_used_by_public_record"):
            obj._used_by_public_record = used_by_public_record(self.public_links(obj))
        return obj._used_by_public_record

    def _may_touch(self, request, obj) -> bool:
        return obj is None or self.has_publish_permission(request) or not self.is_public(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)


@admin.register(Theme)
class ThemeAdmin(ReviewedOnceUsedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def public_links(self, obj) -> models.QuerySet:
        return ThemedItem.objects.filter(tag=obj)


@admin.register(Country)
class CountryAdmin(PickableAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Source)
class SourceAdmin(ReviewedOnceUsedAdmin):
    list_display = ["title", "symbol", "publisher", "date", "secondary"]
    # Editors look for the records that rest on secondary sources only (content_report).
    list_filter = ["secondary"]
    search_fields = ["title", "symbol", "publisher", "key", "url"]
    prepopulated_fields = {"key": ["symbol"]}

    def public_links(self, obj) -> models.QuerySet:
        return Citation.objects.filter(source=obj)

    def get_search_results(self, request, queryset, search_term):
        # Symbols are typed as printed (A/70/174); match them exactly too.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset |= self.model.objects.filter(Q(symbol__iexact=search_term.strip()))
        return queryset, may_have_duplicates
