from django.core.management.base import BaseCommand
from django.db.models import Case, Count, IntegerField, Value, When

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership
from glossary.models import GlossaryTerm
from norms.models import Norm, NormFramework
from reference.models import Country, Source, Theme


def _has(field: str):
    return Case(When(**{f"{field}__isnull": False}, then=Value(1)), default=Value(0),
                output_field=IntegerField())  # fmt: skip


def linked_records():
    """Every record with ``links``: its typed cross-references, both directions."""
    c = lambda name: Count(name, distinct=True)  # noqa: E731
    yield from Agreement.objects.annotate(
        links=c("participations")
        + c("norm_links")
        + c("outbound_links")
        + c("inbound_links")
        + c("established_bodies")
    )
    yield from Norm.objects.select_related("framework").annotate(
        links=c("agreement_links") + c("promoting_bodies")
    )
    yield from Body.objects.annotate(
        links=c("participations")
        + c("memberships")
        + c("promoted_norms")
        + c("frameworks")
        + _has("established_by")
    )
    yield from NormFramework.objects.annotate(
        links=_has("produced_by") + c("norms__agreement_links")
    )
    yield from Country.objects.annotate(links=c("participations") + c("memberships"))


class Command(BaseCommand):
    help = "Count the records per type and list those with the fewest links, so editors see gaps."

    def add_arguments(self, parser):
        parser.add_argument("--fewest", type=int, default=15, help="How many to list (default 15).")

    def handle(self, *args, fewest: int, **options):
        out = self.stdout.write
        out("Records (published / all)")
        for label, model in [
            ("norm frameworks", NormFramework),
            ("norms", Norm),
            ("bodies", Body),
            ("agreements", Agreement),
            ("glossary terms", GlossaryTerm),
        ]:
            out(f"  {label:<22} {model.objects.published().count():>5} / {model.objects.count()}")
        for label, model in [("countries", Country), ("themes", Theme), ("sources", Source)]:
            out(f"  {label:<22} {model.objects.count():>5}")

        relations = {
            "participations": Participation.objects.count(),
            "memberships": Membership.objects.count(),
            "norm links": NormLink.objects.count(),
            "agreement links": AgreementLink.objects.count(),
            "norms promoted": Body.promoted_norms.through.objects.count(),
            "established by": Body.objects.filter(established_by__isnull=False).count(),
            "produced by": NormFramework.objects.filter(produced_by__isnull=False).count(),
        }
        out("\nTyped cross-references")
        for label, count in relations.items():
            out(f"  {label:<22} {count:>5}")
        out(f"  {'total':<22} {sum(relations.values()):>5}")

        without_source = [
            f"{m._meta.verbose_name} {r}"
            for m in (NormFramework, Norm, Body, Agreement, GlossaryTerm)
            for r in m.objects.filter(citations__isnull=True)
        ]
        out(f"\nRecords without a source: {len(without_source)}")
        for line in without_source:
            out(f"  {line}")

        records = sorted(linked_records(), key=lambda r: (r.links, str(r)))
        out(f"\nThe {fewest} records with the fewest links")
        for record in records[:fewest]:
            out(f"  {record.links:>3}  {record._meta.verbose_name:<15} {record}")
