import django_filters
from django.db.models import Q

from core.facets import counts_by
from norms.models import Norm, NormFramework
from reference.filters import ChoicesFilter, ThemedFilterSet


def framework_choices():
    return [(f.slug, f.short_label) for f in NormFramework.objects.published()]


class NormFilter(ThemedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Words in the norm", max_length=200)
    framework = ChoicesFilter(
        field_name="framework__slug", choices=framework_choices, label="Framework"
    )
    kind = ChoicesFilter(
        field_name="framework__kind", choices=NormFramework.Kind.choices, label="Kind of framework"
    )

    FACETS = {
        "framework": ("Framework", counts_by("framework__slug"), "checkbox"),
        "kind": ("Kind of framework", counts_by("framework__kind"), "checkbox"),
        "theme": ("Theme", counts_by("themes__slug"), "checkbox"),
    }

    class Meta:
        model = Norm
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(quotation__icontains=value)
        )

    def ordering(self):
        return ("-framework__adopted", "framework__slug", "position", "reference")
