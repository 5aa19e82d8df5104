"""`manage.py content_report`: counts per type, the defects and gaps issue 13 names
(content/coverage.py), and the records with the fewest links.

Every record type comes from the registry; a record's links are its typed
cross-references in both directions (its own relations and the rows of other
records that point at it), found from the models' relations.

``--data`` reports on ``data/`` rather than on the database: it loads the files in
a transaction that is rolled back, as ``load_content --dry-run`` does. ``--check``
then fails on the defects (research-process phrases, placeholder "as of" dates),
not on the gaps: ``make check-content`` runs both.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone

from content import coverage
from content.loader import ContentError, load_content
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
    help = (
        "Count the records per type, list the content's defects and gaps (undated parties, "
        "placeholder 'as of' dates, research-process phrases, records resting on secondary "
        "sources only, coverage targets) and the records with the fewest links."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fewest", type=int, default=15, help="How many to list (default 15; 0: none)."
        )
        parser.add_argument(
            "--data",
            nargs="?",
            type=Path,
            const=settings.CONTENT_DIR,
            help="Report on the data files (default folder: CYBERDIPLO_CONTENT_DIR), loaded in "
            "a transaction that is rolled back, rather than on the database as it is.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when a research-process phrase or a placeholder 'as of' date is found.",
        )

    def handle(self, *args, fewest: int, data: Path | None, check: bool, **options):
        with transaction.atomic():
            if data is not None:
                try:
                    load_content(data)
                except ContentError as exc:
                    raise CommandError(f"Cannot report on {data}. {exc}") from None
            defects = self.report(fewest)
            transaction.set_rollback(True)  # a report writes nothing
        if check and defects:
            raise CommandError(
                f"{defects} defect(s) above: research-process phrases and placeholder "
                "'as of' dates must be fixed in the data files."
            )

    def report(self, fewest: int) -> int:
        """Print the report; return the number of defects found."""
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

        undated, flagged = coverage.undated_parties()
        self.section("Party rows without a date (treaties whose office publishes dates)", undated)
        self.section("Party rows undated, flagged (an unconfirmed reason says why)", flagged)
        placeholders = coverage.placeholder_as_of(timezone.localdate())
        self.section("Placeholder 'as of' dates", placeholders)
        phrases = coverage.research_phrases()
        self.section("Research-process phrases in public text", phrases)
        self.section("Records whose only sources are secondary", coverage.only_secondary())
        out("\nCoverage targets (published records)")
        for label, published, target in coverage.coverage():
            mark = "\u2713" if published >= target else "\u2717"
            out(f"  {label:<32} {published:>5} / {target} {mark}")

        if fewest > 0:
            self.fewest_links(fewest)
        return len(placeholders) + len(phrases)

    def fewest_links(self, fewest: int) -> None:
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
        self.stdout.write(f"\nThe {fewest} records with the fewest links")
        for record in records[:fewest]:
            self.stdout.write(f"  {record.links:>3}  {record._meta.verbose_name:<15} {record}")

    def section(self, heading: str, finding: coverage.Finding) -> None:
        self.stdout.write(f"\n{heading}: {len(finding)}")
        for line in finding.lines:
            self.stdout.write(f"  {line}")
