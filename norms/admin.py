from django.contrib import admin

from editorial.admin import EntryAdmin
from norms.models import Norm, NormFramework, Restatement
from reference.admin import LoadedRowsInline, is_autocomplete


class NormInline(LoadedRowsInline, admin.TabularInline):
    model = Norm
    fields = ["reference", "title", "slug", "status", "position"]
    prepopulated_fields = {"slug": ["reference"]}
    show_change_link = True
    extra = 0


class RestatementInline(LoadedRowsInline, admin.TabularInline):
    model = Restatement
    fk_name = "norm"
    fields = ["restates", "note"]
    autocomplete_fields = ["restates"]
    extra = 0
    verbose_name = "earlier norm it restates"
    verbose_name_plural = "earlier norms it restates"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("restates__framework")


@admin.register(NormFramework)
class NormFrameworkAdmin(EntryAdmin):
    list_display = ["title", "kind", "symbol", "adopted", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    search_fields = ["title", "slug", "symbol", "summary"]
    autocomplete_fields = ["produced_by"]
    inlines = [NormInline, *EntryAdmin.inlines]


@admin.register(Norm)
class NormAdmin(EntryAdmin):
    resource_extra = ("position",)
    list_display = ["title", "framework", "reference", "status", "updated"]
    list_filter = ["framework", *EntryAdmin.list_filter]
    list_select_related = ["framework"]
    search_fields = ["title", "slug", "reference", "summary", "quotation", "framework__symbol"]
    autocomplete_fields = ["framework"]
    inlines = [RestatementInline, *EntryAdmin.inlines]

    def get_queryset(self, request):
        # A norm is named with its framework, in lists, pickers, history and titles.
        queryset = super().get_queryset(request)
        return queryset.for_picker() if is_autocomplete(request) else queryset.named()
