from django.contrib import admin

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from editorial.admin import EntryAdmin
from reference.admin import LoadedRowsInline


class ParticipationInline(LoadedRowsInline, admin.TabularInline):
    model = Participation
    autocomplete_fields = ["country", "body"]
    # The party and its required "as of" date first, so both fit on screen with the dates.
    fields = [
        "country",
        "body",
        "as_of",
        "signed",
        "consent_kind",
        "consent",
        "entry_into_force",
        "withdrawn",
        "note",
    ]
    extra = 1
    verbose_name = "party"
    verbose_name_plural = "parties and participants"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country", "body")


class NormLinkInline(LoadedRowsInline, admin.TabularInline):
    model = NormLink
    autocomplete_fields = ["norm"]
    extra = 1
    verbose_name_plural = "links to norms"

    def get_queryset(self, request):
        # A norm is named with its framework: "title (UN GGE 2015 13(f))".
        return super().get_queryset(request).select_related("norm__framework")


class AgreementLinkInline(LoadedRowsInline, admin.TabularInline):
    model = AgreementLink
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name_plural = "links to other agreements"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")


@admin.register(Agreement)
class AgreementAdmin(EntryAdmin):
    list_display = ["title", "kind", "reach", "adopted", "legal_status", "status", "updated"]
    list_filter = ["kind", "reach", "legal_status", "legally_binding", *EntryAdmin.list_filter]
    search_fields = ["title", "short_title", "slug", "symbol", "summary"]
    inlines = [ParticipationInline, NormLinkInline, AgreementLinkInline, *EntryAdmin.inlines]
