from django.contrib import admin

from editorial.admin import EntryAdmin
from profiles.models import CountryProfile


@admin.register(CountryProfile)
class CountryProfileAdmin(EntryAdmin):
    list_display = ["title", "strategy_adopted", "status", "updated"]
    list_select_related = ["country"]
    search_fields = ["title", "slug", "summary", "strategy", "lead_agencies"]
    autocomplete_fields = ["country"]
