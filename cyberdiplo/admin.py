"""Admin for the shared records, and the pieces every record's admin reuses."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q
from taggit.models import Tag

from cyberdiplo.models import Citation, Country, GlossaryTerm, Source, Theme, ThemedItem

# Themes are our own tag model; taggit's default Tag is unused and would only confuse editors.
admin.site.unregister(Tag)


class CitationInline(GenericTabularInline):
    model = Citation
    autocomplete_fields = ["source"]
    fields = ["source", "pinpoint", "position"]
    extra = 1
    verbose_name = "source"
    verbose_name_plural = "sources (every record needs at least one)"


class ThemedItemInline(GenericTabularInline):
    model = ThemedItem
    autocomplete_fields = ["tag"]
    extra = 1
    verbose_name_plural = "themes"


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


class EntryAdmin(admin.ModelAdmin):
    """What every record type's admin shares."""

    list_display = ["title", "status", "updated"]
    list_filter = ["status", ThemeListFilter, HasSourceListFilter]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "updated"]
    inlines = [CitationInline, ThemedItemInline]
    exclude = ["themes"]  # edited through the themes inline, which has autocomplete
    list_per_page = 50
    save_on_top = True


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "symbol", "publisher", "date"]
    search_fields = ["title", "symbol", "publisher", "key", "url"]
    prepopulated_fields = {"key": ["symbol"]}

    def get_search_results(self, request, queryset, search_term):
        # Symbols are typed as printed (A/70/174); match them exactly too.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            queryset |= self.model.objects.filter(Q(symbol__iexact=search_term.strip()))
        return queryset, may_have_duplicates


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EntryAdmin):
    search_fields = ["title", "slug", "summary", "aliases"]
