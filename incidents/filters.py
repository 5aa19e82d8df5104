"""The incident and response lists' filters, shared by the pages, the exports and the API."""

import django_filters
from django.db.models import Count, F, Func, Q

from core import facets
from core.facetindex import Long, Short
from core.facets import (
    AsOfFilter,
    LongChoicesFilter,
    counts_by,
    norm_pairs,
    norm_query,
    unnested,
    year_filter,
    years,
)
from core.models import other_side
from incidents.models import (
    Incident,
    IncidentNorm,
    IncidentTarget,
    Response,
    ResponseBody,
    ResponseIncident,
    ResponseNorm,
    ResponseParty,
    Sector,
)
from reference.filters import (
    ChoicesFilter,
    ThemedFilterSet,
    body_value,
    count_bodies,
    count_states,
    count_themes,
    country_choices,
    known_parties,
    theme_pairs,
)


def parties_query(prefix: str, values: list[str]) -> Q:
    """Country codes and ``body:<slug>`` values as a condition on the response at ``prefix``."""
    codes = [v for v in values if not v.startswith("body:")]
    slugs = [v.removeprefix("body:") for v in values if v.startswith("body:")]
    return Q(**{f"{prefix}party_links__country__code__in": codes}) | Q(
        **{f"{prefix}body_links__body__slug__in": slugs}
    )


def public_responses():
    return Response.objects.published().values("pk")


count_sectors = facets.count_unnested("target_sectors")


def counted(rows) -> dict[str, int]:
    return {str(value): n for value, n in rows if value is not None}


def public_bodies():
    return other_side(ResponseBody, "body").objects.published()


# --- Incidents ---------------------------------------------------------------


def incident_responses(qs):
    """The links from public responses to the incidents of ``qs``."""
    return ResponseIncident.objects.filter(
        incident__in=qs.order_by().values("pk"), response__in=public_responses()
    ).order_by()


def incident_attributions(qs):
    """The links from public attributions to the incidents of ``qs``."""
    return incident_responses(qs).filter(response__kind=Response.Kind.ATTRIBUTION)


def incident_targets(qs):
    """The target countries of the incidents of ``qs``."""
    return IncidentTarget.objects.filter(incident__in=qs.order_by().values("pk")).order_by()


def count_targets(qs) -> dict[str, int]:
    return counted(incident_targets(qs).values_list("country__code").annotate(n=Count("*")))


def attributions() -> Q:
    """The public attributions that answer an incident, on the incidents' own join."""
    return Q(
        response_links__response__kind=Response.Kind.ATTRIBUTION,
        response_links__response__in=Response.objects.published(),
    )


# Incidents per state or public body that publicly attributed them.
count_attributing = facets.combined(
    count_states("response_links__response__parties", where=attributions),
    count_bodies("response_links__response__bodies", ResponseBody, where=attributions),
)


def count_attributed_states(qs) -> dict[str, int]:
    return counted(
        incident_attributions(qs)
        .values_list("response__attributed_state__code")
        .annotate(n=Count("incident", distinct=True))
    )


def count_response_kinds(qs) -> dict[str, int]:
    return counted(
        incident_responses(qs)
        .values_list("response__kind")
        .annotate(n=Count("incident", distinct=True))
    )


INCIDENT_SORTS = {
    "newest": ("-began", "title"),
    "oldest": ("began", "title"),
    "title": ("title",),
}


class IncidentFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the name or summary", max_length=200
    )
    kind = ChoicesFilter(choices=Incident.Kind.choices, label="Kind")
    sector = ChoicesFilter(choices=Sector.choices, method="filter_sector", label="Target sector")
    target = ChoicesFilter(choices=country_choices, method="filter_target", label="Target country")
    attributed_by = LongChoicesFilter(
        known=known_parties(ResponseBody),
        method="filter_attributed_by",
        label="Attributed by",
    )
    attributed_to = ChoicesFilter(
        choices=country_choices, method="filter_attributed_to", label="Attributed to the state"
    )
    response = ChoicesFilter(
        choices=Response.Kind.choices, method="filter_response", label="Response made"
    )
    norm = facets.norm_filter(IncidentNorm, "Norm said to be engaged")
    YEARS_LEGEND = "Began"
    year_from = year_filter("filter_year_from", "Began from year")
    year_to = year_filter("filter_year_to", "Began by year")
    as_of = AsOfFilter(label="Begun by then")
    sort = django_filters.ChoiceFilter(
        choices=[("newest", "Newest first"), ("oldest", "Oldest first"), ("title", "Title")],
        method="keep",
        label="Sort by",
        empty_label=None,
    )

    FACETS = {
        "theme": ("Theme", count_themes, "checkbox"),
        "kind": ("Kind", counts_by("kind"), "checkbox"),
        "sector": ("Target sector", count_sectors, "checkbox"),
        "response": ("Response made", count_response_kinds, "checkbox"),
        "target": ("Target country", count_targets, "select"),
        "attributed_by": ("Attributed by", count_attributing, "select"),
        "attributed_to": ("Attributed to the state", count_attributed_states, "select"),
        "norm": ("Norm said to be engaged", facets.count_norms(IncidentNorm, "incident"), "select"),
    }

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py).
    NORMS_THROUGH = IncidentNorm
    PARTIES = {"attributed_by": ("attributed_by", "attributed_by_body", ResponseBody)}
    INDEXED = {
        "theme": Short(theme_pairs),
        "kind": Short(lambda records: records.values_list("kind", "pk")),
        "sector": Short(lambda records: unnested(records, "target_sectors")),
        "response": Short(
            lambda records: incident_responses(records).values_list("response__kind", "incident")
        ),
        "target": Short(
            lambda records: incident_targets(records).values_list("country__code", "incident")
        ),
        "attributed_by": Short(
            lambda records: incident_attributions(records).values_list(
                "response__parties__code", "incident"
            )
        ),
        "attributed_by_body": Long(
            lambda records: (
                incident_attributions(records)
                .filter(response__bodies__in=public_bodies())
                .values_list(body_value("response__bodies"), "incident")
            )
        ),
        "attributed_to": Short(
            lambda records: incident_attributions(records).values_list(
                "response__attributed_state__code", "incident"
            )
        ),
        "norm": Long(norm_pairs(IncidentNorm, "incident")),
        "year": Short(lambda records: years(records, "began")),
    }

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(short_title__icontains=value)
            | Q(summary__icontains=value)
        )

    def filter_sector(self, queryset, name, value: str):
        return queryset.filter(target_sectors__overlap=value)

    def filter_target(self, queryset, name, value: str):
        return queryset.filter(
            pk__in=IncidentTarget.objects.filter(country__code__in=value).values("incident")
        )

    def _answered_by(self, queryset, responses):
        links = ResponseIncident.objects.filter(
            response__in=responses.filter(pk__in=public_responses()).values("pk")
        )
        return queryset.filter(pk__in=links.values("incident"))

    def filter_attributed_by(self, queryset, name, value: str):
        responses = Response.objects.attributions().filter(parties_query("", value))
        return self._answered_by(queryset, responses)

    def filter_attributed_to(self, queryset, name, value: str):
        responses = Response.objects.attributions().filter(attributed_state__code__in=value)
        return self._answered_by(queryset, responses)

    def filter_response(self, queryset, name, value: str):
        return self._answered_by(queryset, Response.objects.filter(kind__in=value))

    def filter_norm(self, queryset, name, value: str):
        links = IncidentNorm.objects.filter(norm_query("norm", value))
        return queryset.filter(pk__in=links.values("incident"))

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(began__gte=f"{value:04d}")

    def filter_year_to(self, queryset, name, value):
        # "2019" and every "2019-..." date sort before "2020".
        return queryset.filter(began__lt=f"{value + 1:04d}")

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return INCIDENT_SORTS.get(sort or "newest", INCIDENT_SORTS["newest"])


# --- Responses ---------------------------------------------------------------


# Responses per state and per public body that made them.
count_parties = facets.combined(count_states("parties"), count_bodies("bodies", ResponseBody))


def response_sectors(qs):
    """The links of the responses of ``qs`` to public incidents, one row per target sector
    of the incident (``sector``)."""
    return (
        ResponseIncident.objects.filter(
            response__in=qs.order_by().values("pk"),
            incident__in=Incident.objects.published().values("pk"),
        )
        .order_by()
        .annotate(sector=Func(F("incident__target_sectors"), function="unnest"))
    )


def count_response_sectors(qs) -> dict[str, int]:
    """Responses per target sector of the public incidents they answer."""
    return dict(
        response_sectors(qs).values_list("sector").annotate(n=Count("response", distinct=True))
    )


RESPONSE_SORTS = {
    "newest": ("-date", "title"),
    "oldest": ("date", "title"),
    "title": ("title",),
}


class ResponseFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the title or summary", max_length=200
    )
    kind = ChoicesFilter(choices=Response.Kind.choices, label="Kind of response")
    party = LongChoicesFilter(
        known=known_parties(ResponseBody),
        method="filter_party",
        label="Made by",
    )
    attributed_to = ChoicesFilter(
        field_name="attributed_state__code",
        choices=country_choices,
        label="Attributed to the state",
    )
    sector = ChoicesFilter(
        choices=Sector.choices, method="filter_sector", label="Target sector of the incident"
    )
    norm = facets.norm_filter(ResponseNorm, "Norm invoked")
    YEARS_LEGEND = "Made"
    year_from = year_filter("filter_year_from", "From year")
    year_to = year_filter("filter_year_to", "To year")
    as_of = AsOfFilter(label="Made by then")
    sort = django_filters.ChoiceFilter(
        choices=[("newest", "Newest first"), ("oldest", "Oldest first"), ("title", "Title")],
        method="keep",
        label="Sort by",
        empty_label=None,
    )

    FACETS = {
        "theme": ("Theme", count_themes, "checkbox"),
        "kind": ("Kind of response", counts_by("kind"), "checkbox"),
        "sector": ("Target sector of the incident", count_response_sectors, "checkbox"),
        "party": ("Made by", count_parties, "select"),
        "attributed_to": ("Attributed to the state", counts_by("attributed_state__code"), "select"),
        "norm": ("Norm invoked", facets.count_norms(ResponseNorm, "response"), "select"),
    }

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py).
    NORMS_THROUGH = ResponseNorm
    PARTIES = {"party": ("party", "party_body", ResponseBody)}
    INDEXED = {
        "theme": Short(theme_pairs),
        "kind": Short(lambda records: records.values_list("kind", "pk")),
        "sector": Short(
            lambda records: response_sectors(records).values_list("sector", "response")
        ),
        "party": Short(
            lambda records: ResponseParty.objects.filter(
                response__in=records.order_by().values("pk")
            ).values_list("country__code", "response")
        ),
        "party_body": Long(
            lambda records: ResponseBody.objects.filter(
                response__in=records.order_by().values("pk"), body__in=public_bodies()
            ).values_list(body_value("body"), "response")
        ),
        "attributed_to": Short(lambda records: records.values_list("attributed_state__code", "pk")),
        "norm": Long(norm_pairs(ResponseNorm, "response")),
        "year": Short(lambda records: years(records, "date")),
    }

    class Meta:
        model = Response
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(attributed_actor__icontains=value)
            | Q(legal_act__icontains=value)
        )

    def filter_party(self, queryset, name, value: str):
        return queryset.filter(
            pk__in=Response.objects.filter(parties_query("", value)).values("pk")
        )

    def filter_sector(self, queryset, name, value: str):
        links = ResponseIncident.objects.filter(
            incident__in=Incident.objects.published().filter(target_sectors__overlap=value)
        )
        return queryset.filter(pk__in=links.values("response"))

    def filter_norm(self, queryset, name, value: str):
        links = ResponseNorm.objects.filter(norm_query("norm", value))
        return queryset.filter(pk__in=links.values("response"))

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(date__gte=f"{value:04d}")

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(date__lt=f"{value + 1:04d}")

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return RESPONSE_SORTS.get(sort or "newest", RESPONSE_SORTS["newest"])
