import django_filters
from django import forms
from django.db.models import Case, Count, Q, Value, When, Window
from drf_spectacular.utils import extend_schema_field

from agreements.models import Agreement, NormLink, Participation
from core.facetindex import Long, Short
from core.facets import (
    AsOfFilter,
    LongChoicesFilter,
    YearFilter,
    combined,
    count_norms,
    counts_by,
    norm_filter,
    norm_pairs,
    norm_query,
    years,
)
from core.models import other_side
from reference.filters import (
    ChoicesFilter,
    ThemedFilterSet,
    body_value,
    count_bodies,
    count_themes,
    known_parties,
    theme_pairs,
)
from reference.models import Country


def country_parties(agreements):
    """The country parties of ``agreements``."""
    return Participation.objects.filter(
        agreement__in=agreements.order_by().values("pk"), country__isnull=False
    )


def count_countries(qs, limit: int, first=()) -> tuple[list[tuple[str, str, int]], int]:
    """Agreements per country party, counted on the parties (a country is party to an
    agreement once: no DISTINCT, no join back to the agreements)."""
    rows = list(
        country_parties(qs)
        .values_list("country__code", "country__name")
        .annotate(n=Count("*"), total=Window(Count("*")))
        .order_by(
            Case(When(country__code__in=list(first), then=Value(0)), default=Value(1)),
            "-n",
            "country__code",
        )[:limit]
    )
    return [(code, name, n) for code, name, n, _total in rows], rows[0][-1] if rows else 0


def count_regions(qs) -> dict[str, int]:
    """Agreements with a party in each region, counted on the parties."""
    rows = (
        country_parties(qs)
        .values_list("country__region")
        .annotate(n=Count("agreement", distinct=True))
    )
    return dict(rows)


# Countries and public bodies together, the most frequent first.
count_parties = combined(count_countries, count_bodies("participations__body", Participation))


count_binding = counts_by("legally_binding", rename={"True": "yes", "False": "no"})


YEARS = (1800, 2200)  # the years a filter accepts


def year_filter(method: str, label: str) -> YearFilter:
    """A year bound; the API schema states its range (drf-spectacular reads no min/max)."""
    year = YearFilter(method=method, label=label, min_value=YEARS[0], max_value=YEARS[1])
    schema = {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1], "description": label}
    return extend_schema_field(schema)(year)


SORTS = {
    "newest": ("-adopted", "title"),
    "oldest": ("adopted", "title"),
    "title": ("title",),
    "parties": ("-party_count", "title"),
}


class AgreementFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        self.notices = []
        if start is not None and end is not None and start > end:
            # What was meant is plain, and the API's schema cannot forbid it: swap, and say so.
            data["year_from"], data["year_to"] = end, start
            self.notices.append(
                f"The year range was reversed (from {start} to {end}): showing {end} to {start}."
            )
        if day := data.get("as_of"):
            self.notices.append(
                f"Instruments in existence on {day.day} {day:%B %Y}: adopted by then (or in the "
                "year or month that holds the day) and not ended before it. Each card gives its "
                "status today; a treaty's page shows its parties on the day."
            )
        return data


class AgreementFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the title or summary", max_length=200
    )
    kind = ChoicesFilter(choices=Agreement.Kind.choices, label="Legal form")
    reach = ChoicesFilter(choices=Agreement.Reach.choices, label="Number of parties")
    binding = django_filters.ChoiceFilter(
        choices=[("yes", "Legally binding"), ("no", "Not legally binding")],
        method="filter_binding",
        label="Legal force",
    )
    status = ChoicesFilter(
        field_name="legal_status", choices=Agreement.LegalStatus.choices, label="Legal status"
    )
    party = LongChoicesFilter(
        known=known_parties(Participation),
        method="filter_party",
        label="Party",
    )
    region = ChoicesFilter(
        choices=Country.Region.choices, method="filter_region", label="Region of a party"
    )
    YEARS_LEGEND = "Adopted or signed"
    year_from = year_filter("filter_year_from", "From year")
    year_to = year_filter("filter_year_to", "To year")
    norm = norm_filter(NormLink, "References the norm")
    as_of = AsOfFilter(label="Adopted by then, not ended before it")
    sort = django_filters.ChoiceFilter(
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("title", "Title"),
            ("parties", "Most parties"),
        ],
        method="keep",
        label="Sort by",
        empty_label=None,
    )

    FACETS = {
        "theme": ("Theme", count_themes, "checkbox"),
        "kind": ("Legal form", counts_by("kind"), "checkbox"),
        "reach": ("Number of parties", counts_by("reach"), "checkbox"),
        "binding": ("Legal force", count_binding, "checkbox"),
        "status": ("Legal status", counts_by("legal_status"), "checkbox"),
        "region": ("Region of a party", count_regions, "checkbox"),
        "party": ("Party", count_parties, "select"),
        "norm": ("References the norm", count_norms(NormLink, "agreement"), "select"),
    }

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py).
    NORMS_THROUGH = NormLink
    PARTIES = {"party": ("party", "party_body", Participation)}
    INDEXED = {
        "theme": Short(theme_pairs),
        "kind": Short(lambda records: records.values_list("kind", "pk")),
        "reach": Short(lambda records: records.values_list("reach", "pk")),
        "binding": Short(
            lambda records: records.values_list(
                Case(When(legally_binding=True, then=Value("yes")), default=Value("no")), "pk"
            )
        ),
        "status": Short(lambda records: records.values_list("legal_status", "pk")),
        "year": Short(lambda records: years(records, "adopted")),
        "region": Short(
            lambda records: country_parties(records).values_list("country__region", "agreement")
        ),
        "party": Short(
            lambda records: country_parties(records).values_list("country__code", "agreement")
        ),
        "party_body": Long(
            lambda records: Participation.objects.filter(
                agreement__in=records.order_by().values("pk"),
                body__in=other_side(Participation, "body").objects.published(),
            ).values_list(body_value("body"), "agreement")
        ),
        "norm": Long(norm_pairs(NormLink, "agreement")),
    }

    class Meta:
        model = Agreement
        fields: list[str] = []
        form = AgreementFilterForm

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(short_title__icontains=value)
            | Q(summary__icontains=value)
            | Q(symbol__icontains=value)
        )

    def filter_binding(self, queryset, name, value):
        return queryset.filter(legally_binding=value == "yes")

    def filter_party(self, queryset, name, value: str):
        codes = [v for v in value if not v.startswith("body:")]
        bodies = [v.removeprefix("body:") for v in value if v.startswith("body:")]
        return queryset.filter(
            pk__in=Agreement.objects.filter(
                Q(participations__country__code__in=codes)
                | Q(participations__body__slug__in=bodies)
            ).values("pk")
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            pk__in=Agreement.objects.filter(participations__country__region__in=value).values("pk")
        )

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(adopted__gte=f"{value:04d}")

    def filter_year_to(self, queryset, name, value):
        # "2019" and every "2019-..." date sort before "2020".
        return queryset.filter(adopted__lt=f"{value + 1:04d}").exclude(adopted="")

    def filter_norm(self, queryset, name, value: str):
        links = NormLink.objects.filter(norm_query("norm", value))
        return queryset.filter(pk__in=links.values("agreement"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Sorting by the number of parties needs the count, on every path (page, export,
        # API); cards count their own parties (for_card), exports their rows'.
        if any(key.lstrip("-") == "party_count" for key in self.ordering()):
            queryset = queryset.with_party_count()
        return queryset

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return SORTS.get(sort or "newest", SORTS["newest"])
