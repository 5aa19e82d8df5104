import django_filters
from django import forms
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema_field

from agreements.models import Agreement, NormLink, Participation
from core.facets import YearFilter, counts_by
from core.models import other_side
from reference.filters import ChoicesFilter, ThemedFilterSet
from reference.models import Country


def party_choices():
    Body = other_side(Participation, "body")
    countries = [(c.code, c.name) for c in Country.objects.only("code", "name")]
    bodies = [
        (f"body:{b.slug}", str(b))
        for b in Body.objects.published().only("slug", "title", "acronym")
    ]
    return countries + bodies


def norm_choices():
    Norm = other_side(NormLink, "norm")
    return [
        (f"{n.framework.slug}/{n.slug}", f"{n.framework.short_label} {n.reference}: {n.title}")
        for n in Norm.objects.published()
        .select_related("framework")
        .order_by("framework__adopted", "framework__slug", "position")
    ]


def count_parties(qs) -> dict[str, int]:
    counts = counts_by("participations__country__code")(qs)
    for slug, n in counts_by("participations__body__slug")(qs).items():
        counts[f"body:{slug}"] = n
    return counts


def count_norms(qs) -> dict[str, int]:
    rows = (
        qs.order_by()
        .values_list("norm_links__norm__framework__slug", "norm_links__norm__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    return {f"{fw}/{slug}": n for fw, slug, n in rows if slug}


def count_binding(qs) -> dict[str, int]:
    counts = counts_by("legally_binding")(qs)
    return {"yes": counts.get("True", 0), "no": counts.get("False", 0)}


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
        return data


class AgreementFilter(ThemedFilterSet):
    q = django_filters.CharFilter(
        method="filter_text", label="Words in the title or summary", max_length=200
    )
    kind = ChoicesFilter(choices=Agreement.Kind.choices, label="Kind")
    binding = django_filters.ChoiceFilter(
        choices=[("yes", "Legally binding"), ("no", "Not legally binding")],
        method="filter_binding",
        label="Legal force",
    )
    status = ChoicesFilter(
        field_name="legal_status", choices=Agreement.LegalStatus.choices, label="Legal status"
    )
    party = ChoicesFilter(choices=party_choices, method="filter_party", label="Party")
    region = ChoicesFilter(
        choices=Country.Region.choices, method="filter_region", label="Region of a party"
    )
    year_from = year_filter("filter_year_from", "From year")
    year_to = year_filter("filter_year_to", "To year")
    norm = ChoicesFilter(choices=norm_choices, method="filter_norm", label="References the norm")
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
        "theme": ("Theme", counts_by("themes__slug"), "checkbox"),
        "kind": ("Kind", counts_by("kind"), "checkbox"),
        "binding": ("Legal force", count_binding, "checkbox"),
        "status": ("Legal status", counts_by("legal_status"), "checkbox"),
        "region": ("Region of a party", counts_by("participations__country__region"), "checkbox"),
        "party": ("Party", count_parties, "select"),
        "norm": ("References the norm", count_norms, "select"),
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
        q = Q()
        for ref in value:
            framework, _, slug = ref.partition("/")
            q |= Q(norm_links__norm__framework__slug=framework, norm_links__norm__slug=slug)
        return queryset.filter(pk__in=Agreement.objects.filter(q).values("pk"))

    def filter_queryset(self, queryset):
        # Sorting by the number of parties needs the count on every path (page, export, API).
        return super().filter_queryset(queryset).with_party_count()

    def ordering(self) -> tuple[str, ...]:
        sort = self.form.cleaned_data.get("sort") if self.is_valid() else None
        return SORTS.get(sort or "newest", SORTS["newest"])
