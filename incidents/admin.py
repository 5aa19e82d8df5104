from django.contrib import admin

from editorial.admin import EntryAdmin
from incidents.models import (
    Incident,
    IncidentNorm,
    IncidentTarget,
    Response,
    ResponseAgreement,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
    ResponseParty,
)
from reference.admin import LoadedRowsInline


class IncidentTargetInline(LoadedRowsInline, admin.TabularInline):
    model = IncidentTarget
    autocomplete_fields = ["country"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class IncidentNormInline(LoadedRowsInline, admin.TabularInline):
    model = IncidentNorm
    autocomplete_fields = ["norm", "source"]
    extra = 1

    def get_queryset(self, request):
        # A norm is named with its framework: "title (UN GGE 2015 13(f))".
        return super().get_queryset(request).select_related("norm__framework", "source")


@admin.register(Incident)
class IncidentAdmin(EntryAdmin):
    list_display = ["title", "kind", "began", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    search_fields = ["title", "short_title", "slug", "summary"]
    inlines = [IncidentTargetInline, IncidentNormInline, *EntryAdmin.inlines]


class ResponseIncidentInline(LoadedRowsInline, admin.TabularInline):
    model = ResponseIncident
    autocomplete_fields = ["incident"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident")


class ResponsePartyInline(LoadedRowsInline, admin.TabularInline):
    model = ResponseParty
    autocomplete_fields = ["country"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class ResponseBodyInline(LoadedRowsInline, admin.TabularInline):
    model = ResponseBody
    autocomplete_fields = ["body"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body")


class ResponseNormInline(LoadedRowsInline, admin.TabularInline):
    model = ResponseNorm
    autocomplete_fields = ["norm"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("norm__framework")


class ResponseAgreementInline(LoadedRowsInline, admin.TabularInline):
    model = ResponseAgreement
    autocomplete_fields = ["agreement"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement")


@admin.register(Response)
class ResponseAdmin(EntryAdmin):
    list_display = ["title", "kind", "date", "status", "updated"]
    list_filter = ["kind", *EntryAdmin.list_filter]
    list_select_related = ["attributed_state"]
    search_fields = ["title", "slug", "summary", "attributed_actor", "legal_act"]
    autocomplete_fields = ["attributed_state"]
    inlines = [
        ResponseIncidentInline,
        ResponsePartyInline,
        ResponseBodyInline,
        ResponseNormInline,
        ResponseAgreementInline,
        *EntryAdmin.inlines,
    ]
