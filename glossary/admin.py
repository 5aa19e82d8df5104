from django.contrib import admin

from editorial.admin import EntryAdmin
from glossary.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EntryAdmin):
    search_fields = ["title", "slug", "summary", "aliases"]
