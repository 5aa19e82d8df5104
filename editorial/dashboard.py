"""The editors' dashboard on the admin index: what needs attention now."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from core.models import Status
from core.registry import registry
from reference.models import Citation, ThemedItem

STALE_AFTER = datetime.timedelta(days=30)
SHOWN = 15


# The panels, by the flag that needing_attention() sets on each record.
PANELS = {
    "in_review": "Awaiting review",
    "stale_draft": "Drafts untouched for 30 days",
    "without_source": "Without a source",
    "without_theme": "Without a theme",
}


def needing_attention(
    model: type[models.Model], content_type: ContentType, cutoff: datetime.datetime
):
    """Records of one type that some panel lists, in one query.

    Each record carries a flag per panel, and per panel its rank among the
    flagged records (newest first) and their total; only the records a panel
    shows (rank up to ``SHOWN``) come back, so the query stays small however
    many records need attention.
    """
    of_record = {"content_type": content_type, "object_id": OuterRef("pk")}
    flags = {
        "in_review": Q(status=Status.REVIEW),
        "stale_draft": Q(status=Status.DRAFT, updated__lt=cutoff),
        "without_source": ~Exists(Citation.objects.filter(**of_record)),
        "without_theme": ~Exists(ThemedItem.objects.filter(**of_record)),
    }
    queryset = model.objects.named().annotate(**flags)
    shown = Q()
    for flag in PANELS:
        partition = {"partition_by": [F(flag)]}
        queryset = queryset.annotate(
            **{
                f"{flag}_rank": Window(
                    RowNumber(), order_by=[F("updated").desc(), F("pk")], **partition
                ),
                f"{flag}_total": Window(Count("pk"), **partition),
            }
        )
        shown |= Q(**{flag: True, f"{flag}_rank__lte": SHOWN})
    return queryset.filter(shown).order_by("-updated", "pk")


def dashboard() -> list[dict]:
    """The panels: a label, how many records of every type it concerns, and the first few.

    One query per record type. Each panel lists record types in registry order,
    each type's records newest first, ``SHOWN`` records in all.
    """
    cutoff = timezone.now() - STALE_AFTER
    totals = dict.fromkeys(PANELS, 0)
    items: dict[str, list[dict]] = {flag: [] for flag in PANELS}
    record_models = registry.models()
    content_types = ContentType.objects.get_for_models(*record_models)  # one query, then cached
    for model in record_models:
        opts = model._meta
        counted = set()
        for record in needing_attention(model, content_types[model], cutoff):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            for flag in PANELS:
                if not getattr(record, flag) or getattr(record, f"{flag}_rank") > SHOWN:
                    continue  # not in this panel, or one it has no room for
                if flag not in counted:
                    totals[flag] += getattr(record, f"{flag}_total")
                    counted.add(flag)
                items[flag].append({"record": record, "url": url, "type": opts.verbose_name})
    return [
        {"label": label, "total": totals[flag], "items": items[flag][:SHOWN]}
        for flag, label in PANELS.items()
    ]
