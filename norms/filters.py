import django_filters
from django.db.models import Q

from core.facets import AsOfFilter, LongChoicesFilter, counts_by, top_counts
from norms.models import Norm, NormFramework
from reference.filters import ChoicesFilter, ThemedFilterSet, count_themes


def framework_label(short_title: str, symbol: str, title: str) -> str:
    return short_title or symbol or title


def known_frameworks(values: list[str]) -> dict[str, str]:
    """The given framework slugs that name a published framework, with their labels."""
    frameworks = NormFramework.objects.published().filter(slug__in=values)
    return {
        f.slug: f.short_label for f in frameworks.only("slug", "short_title", "symbol", "title")
    }


# There is one framework per report or process: hundreds at scale, so the facet shows the
# frameworks with the most norms.
count_frameworks = top_counts(
    "framework__slug",
    "framework__short_title",
    "framework__symbol",
    "framework__title",
    label=framework_label,
)


class NormFilter(ThemedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Words in the norm", max_length=200)
    framework = LongChoicesFilter(
        field_name="framework__slug",
        known=known_frameworks,
        label="Framework",
    )
    kind = ChoicesFilter(
        field_name="framework__kind", choices=NormFramework.Kind.choices, label="Kind of framework"
    )
    as_of = AsOfFilter(label="Its framework adopted by then")

    FACETS = {
        "framework": ("Framework", count_frameworks, "checkbox"),
        "kind": ("Kind of framework", counts_by("framework__kind"), "checkbox"),
        "theme": ("Theme", count_themes, "checkbox"),
    }

    class Meta:
        model = Norm
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(quotation__icontains=value)
        )

    # Frameworks oldest first (the norms' history reads in order), then each one's
    # norms by paragraph.
    FRAMEWORK_ORDER = ("framework__adopted", "framework__title", "framework")

    def ordering(self):
        return (*self.FRAMEWORK_ORDER, "position", "reference")
