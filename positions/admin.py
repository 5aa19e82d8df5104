from django.contrib import admin

from editorial.admin import EntryAdmin
from positions.models import NationalPosition, PositionNorm
from reference.admin import LoadedRowsInline


class PositionNormInline(LoadedRowsInline, admin.TabularInline):
    model = PositionNorm
    autocomplete_fields = ["norm"]
    extra = 1

    def get_queryset(self, request):
        # A norm is named with its framework: "title (Tallinn Manual 2.0 Rule 4)".
        return super().get_queryset(request).select_related("norm__framework")


@admin.register(NationalPosition)
class PositionAdmin(EntryAdmin):
    list_display = ["title", "country", "kind", "published", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    list_select_related = ["country"]
    search_fields = ["title", "slug", "summary", "forum", "symbol", "country__name"]
    autocomplete_fields = ["country"]
    inlines = [PositionNormInline, *EntryAdmin.inlines]
