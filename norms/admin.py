from django.contrib import admin

from editorial.admin import EntryAdmin
from norms.models import Norm, NormFramework


class NormInline(admin.TabularInline):
    model = Norm
    fields = ["reference", "title", "slug", "status", "position"]
    prepopulated_fields = {"slug": ["reference"]}
    show_change_link = True
    extra = 0


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
