import django_filters
from django.db.models import Q

from core.facetindex import FacetIndex, Long, Short
from core.facets import AsOfFilter, LongChoicesFilter, counts_by, top_counts, top_rows
from norms.models import Norm, NormFramework
from reference.filters import ChoicesFilter, ThemedFilterSet, count_themes, theme_pairs


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

    # Every facet and filter but words and a day, counted in memory (core/facetindex.py);
    # the frameworks long (hundreds at scale).
    INDEXED = {
        "framework": Long(lambda records: records.values_list("framework__slug", "pk")),
        "kind": Short(lambda records: records.values_list("framework__kind", "pk")),
        "theme": Short(theme_pairs),
    }

    class Meta:
        model = Norm
        fields: list[str] = []

    def count_in(self, index: FacetIndex, name: str, within: int):
        """The frameworks as ``count_frameworks`` gives them: the most norms first."""
        if name != "framework":
            return super().count_in(index, name, within)
        counts = index.count(name, within)
        shown = top_rows(counts, self.chosen_first(name))
        labels = {
            slug: framework_label(short_title, symbol, title)
            for slug, short_title, symbol, title in NormFramework.objects.filter(
                slug__in=shown
            ).values_list("slug", "short_title", "symbol", "title")
        }
        return [(slug, labels[slug], counts[slug]) for slug in shown], len(counts)

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(quotation__icontains=value)
        )

    # Frameworks oldest first (the norms' history reads in order), then each one's
    # norms by paragraph.
    FRAMEWORK_ORDER = ("framework__adopted", "framework__title", "framework")

    def ordering(self):
        return (*self.FRAMEWORK_ORDER, "position", "reference")
