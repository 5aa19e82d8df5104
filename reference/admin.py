"""Admin for the reference records, and the inlines and filters every record's admin uses."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q
from taggit.models import Tag

from reference.models import Citation, Country, Source, Theme, ThemedItem

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
    verbose_name_plural = "themes (every record needs at least one)"


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
