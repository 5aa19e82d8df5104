"""A norm's lineage: the versions of one commitment across frameworks, joined by their
restatements (GGE 2015 13(f), restated in the OEWG 2021 report and in GGE 2021 13(f)),
in the order they were adopted, each worded against the version it restates and with
the public instruments that endorsed it.

The lineage of a norm is what it restates, and what restates it, step by step: its
ancestors and its descendants, not its cousins (the OEWG's critical-infrastructure
norm restates both 13(f) and 13(g), but 13(g) is no version of 13(f)).

Five queries whatever the size: the norm asked for, its lineage (one recursive query
over the restatements), the versions, the restatements among them, their endorsements.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q

from core.models import CARD_DEFERRED, card_deferred, other_side
from core.text import word_diff
from norms.models import Norm, Restatement

# A norm, the published norms it restates step by step (up), and those that restate it
# step by step (down).
LINEAGE_SQL = """
WITH RECURSIVE up(id) AS (
    SELECT %s::bigint
  UNION
    SELECT r.restates_id FROM {restatement} r
    JOIN up ON r.norm_id = up.id
    JOIN {norm} n ON n.id = r.restates_id AND n.status = 'published'
), down(id) AS (
    SELECT %s::bigint
  UNION
    SELECT r.norm_id FROM {restatement} r
    JOIN down ON r.restates_id = down.id
    JOIN {norm} n ON n.id = r.norm_id AND n.status = 'published'
)
SELECT id FROM up UNION SELECT id FROM down
"""


@dataclass
class Version:
    norm: Norm
    wording: str  # the official wording, or the summary where none is recorded
    official: bool
    parts: list[tuple[str, str]]  # against the version it restates: equal / insert / delete
    restates: list[tuple[Norm, str]] = field(default_factory=list)
    endorsed_by: list = field(default_factory=list)  # (agreement, note)
    previous: Norm | None = None  # the version it restates, its wording compared with
    compared: bool = False  # both have official wording, so the words were compared

    @property
    def added(self) -> int:
        return sum(len(text.split()) for op, text in self.parts if op == "insert")

    @property
    def removed(self) -> int:
        return sum(len(text.split()) for op, text in self.parts if op == "delete")


def find(key: str) -> Norm | None:
    """The published norm whose ``lineage_key`` is ``key``: its framework's slug, "-",
    its own. Either may hold hyphens, so each place the key could be cut is tried, each
    pair read from the norms' unique index (matching the joined slugs read every norm:
    42 ms at 100,000 records)."""
    if len(key) > Norm._meta.get_field("slug").max_length * 2 + 1:  # a framework's too
        return None
    cuts = [i for i, char in enumerate(key) if char == "-"]
    if not cuts:
        return None
    either = Q()
    for i in cuts:
        either |= Q(framework__slug=key[:i], slug=key[i + 1 :])
    return Norm.objects.published().filter(either).select_related("framework").first()


def versions_of(norm: Norm) -> list[Version]:
    """Every published version of ``norm``'s commitment, oldest first; one version
    (the norm alone) when nothing restates it and it restates nothing."""
    sql = LINEAGE_SQL.format(restatement=Restatement._meta.db_table, norm=Norm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [norm.pk, norm.pk])
        ids = [row[0] for row in cursor.fetchall()]
    norms = list(
        Norm.objects.published()
        .filter(pk__in=ids)
        .select_related("framework")
        .defer(*CARD_DEFERRED)
        .order_by(F("framework__adopted").asc(nulls_last=True), "framework__slug", "position")
    )
    restates: dict[int, list] = {n.pk: [] for n in norms}
    for link in Restatement.objects.filter(norm__in=norms, restates__in=norms).order_by("pk"):
        restates[link.norm_id].append((link.restates_id, link.note))
    NormLink = other_side(Norm, "agreement_links")
    Agreement = other_side(NormLink, "agreement")
    endorsed: dict[int, list] = {n.pk: [] for n in norms}
    links = (
        NormLink.objects.filter(
            norm__in=norms, relation="affirms", agreement__in=Agreement.objects.published()
        )
        .select_related("agreement")
        .defer(*card_deferred("agreement"))
        .order_by("agreement__adopted", "agreement__title", "pk")
    )
    for link in links:
        endorsed[link.norm_id].append((link.agreement, link.note))
    by_pk = {n.pk: n for n in norms}
    order = {n.pk: i for i, n in enumerate(norms)}
    versions = []
    for n in norms:
        wording = n.quotation or n.summary
        mine = [(by_pk[pk], note) for pk, note in restates[n.pk] if pk in by_pk]
        # Compared with the latest version it restates (the closest step up).
        previous = max((other for other, _ in mine), key=lambda o: order[o.pk], default=None)
        # Wording is compared with wording: a summary (no official text) is shown as is.
        before = previous.quotation if previous and n.quotation else None
        versions.append(
            Version(
                norm=n,
                wording=wording,
                official=bool(n.quotation),
                parts=[("equal", wording)] if before is None else word_diff(before, wording),
                restates=mine,
                endorsed_by=endorsed[n.pk],
                previous=previous,
                compared=before is not None,
            )
        )
    return versions
