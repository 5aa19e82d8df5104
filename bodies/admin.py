from django.contrib import admin

from bodies.models import Body, Membership
from cyberdiplo.admin import EntryAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["country"]
    extra = 1


@admin.register(Body)
class BodyAdmin(EntryAdmin):
    list_display = ["title", "acronym", "kind", "founded", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    search_fields = ["title", "acronym", "slug", "summary"]
    autocomplete_fields = ["established_by", "promoted_norms"]
    inlines = [MembershipInline, *EntryAdmin.inlines]
