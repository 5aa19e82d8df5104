"""`manage.py content_report`: counts per type and the records with the fewest links.

Every record type comes from the registry; a record's links are its typed
cross-references in both directions (its own relations and the rows of other
records that point at it), found from the models' relations.
"""

from django.core.management.base import BaseCommand
from django.db.models import Case, Count, IntegerField, Value, When

from core.registry import registry
from reference.models import Country, Source, Theme

NOT_LINKS = {"themes", "tagged_items", "citations"}


def link_fields(model) -> list:
    """The typed cross-references of ``model``: its foreign keys and the rows pointing at it.

    Many-to-many fields are left out: each has its own row model (parties,
    memberships, promotions, norm links), counted as rows pointing at the record.
    """
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation
        and f.name not in NOT_LINKS
        and (f.many_to_one or f.one_to_many)
        and not f.name.startswith("history")
    ]


def links(model):
    """An expression counting each row's links."""
    total = Value(0)
    for field in link_fields(model):
        if field.many_to_one:
            total += Case(When(**{f"{field.name}__isnull": False}, then=Value(1)), default=Value(0),
                          output_field=IntegerField())  # fmt: skip
        else:
            total += Count(field.name, distinct=True)
    return total


def row_models() -> dict[str, type]:
    """The models of the typed cross-references, by their plural name."""
    found = {}
    for model in [*registry.models(), Country]:
        for field in link_fields(model):
            if field.one_to_many and field.related_model not in registry.models():
                found[str(field.related_model._meta.verbose_name_plural)] = field.related_model
    return found


class Command(BaseCommand):
    help = "Count the records per type and list those with the fewest links, so editors see gaps."

    def add_arguments(self, parser):
        parser.add_argument("--fewest", type=int, default=15, help="How many to list (default 15).")

    def handle(self, *args, fewest: int, **options):
        out = self.stdout.write
        out("Records (published / all)")
        for rt in registry:
            label = str(rt.model._meta.verbose_name_plural)
            published, total = rt.model.objects.published().count(), rt.model.objects.count()
            out(f"  {label:<32} {published:>5} / {total}")
        for label, model in [("countries", Country), ("themes", Theme), ("sources", Source)]:
            out(f"  {label:<32} {model.objects.count():>5}")

        relations = {label: model.objects.count() for label, model in row_models().items()}
        for rt in registry:
            for field in link_fields(rt.model):
                if field.many_to_one and field.related_model in registry.models():
                    name = f"{field.verbose_name} ({rt.model._meta.verbose_name_plural})"
                    relations[name] = rt.model.objects.filter(
                        **{f"{field.name}__isnull": False}
                    ).count()
        out("\nTyped cross-references")
        for label, count in relations.items():
            out(f"  {label:<32} {count:>5}")
        out(f"  {'total':<32} {sum(relations.values()):>5}")

        without_source = [
            f"{rt.model._meta.verbose_name} {r}"
            for rt in registry
            for r in rt.model.objects.named().filter(citations__isnull=True)
        ]
        out(f"\nRecords without a source: {len(without_source)}")
        for line in without_source:
            out(f"  {line}")

        records = [
            *(
                r
                for rt in registry
                if link_fields(rt.model)  # glossary terms link by their text, not by relations
                for r in rt.model.objects.named().annotate(links=links(rt.model))
            ),
            *Country.objects.annotate(links=links(Country)),
        ]
        records.sort(key=lambda r: (r.links, str(r)))
        out(f"\nThe {fewest} records with the fewest links")
        for record in records[:fewest]:
            out(f"  {record.links:>3}  {record._meta.verbose_name:<15} {record}")
