from django.contrib import admin

from bodies.models import Body, Membership, Promotion
from editorial.admin import EntryAdmin
from reference.admin import LoadedRowsInline


class PromotionInline(LoadedRowsInline, admin.TabularInline):
    model = Promotion
    autocomplete_fields = ["norm"]
    extra = 1
    verbose_name_plural = "norms it promotes"

    def get_queryset(self, request):
        # A norm is named with its framework: "title (UN GGE 2015 13(f))".
        return super().get_queryset(request).select_related("norm__framework")


class MembershipInline(LoadedRowsInline, admin.TabularInline):
    model = Membership
    autocomplete_fields = ["country"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


@admin.register(Body)
class BodyAdmin(EntryAdmin):
    list_display = ["title", "acronym", "kind", "founded", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    search_fields = ["title", "acronym", "slug", "summary"]
    autocomplete_fields = ["established_by"]
    inlines = [MembershipInline, PromotionInline, *EntryAdmin.inlines]
