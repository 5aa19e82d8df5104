from django.contrib import admin

from bodies.models import Body, Membership, Promotion
from editorial.admin import EntryAdmin


class PromotionInline(admin.TabularInline):
    model = Promotion
    autocomplete_fields = ["norm"]
    extra = 1
    verbose_name_plural = "norms it promotes"


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["country"]
    extra = 1


@admin.register(Body)
class BodyAdmin(EntryAdmin):
    list_display = ["title", "acronym", "kind", "founded", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    search_fields = ["title", "acronym", "slug", "summary"]
    autocomplete_fields = ["established_by"]
    inlines = [MembershipInline, PromotionInline, *EntryAdmin.inlines]
