"""The editors' dashboard on the admin index: what needs attention now."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.models import Status
from core.registry import registry

STALE_AFTER = datetime.timedelta(days=30)
SHOWN = 15


def dashboard() -> list[dict]:
    cutoff = timezone.now() - STALE_AFTER
    panels = [
        ("Awaiting review", lambda qs: qs.filter(status=Status.REVIEW)),
        (
            "Drafts untouched for 30 days",
            lambda qs: qs.filter(status=Status.DRAFT, updated__lt=cutoff),
        ),
        ("Without a source", lambda qs: qs.filter(citations__isnull=True)),
        ("Without a theme", lambda qs: qs.filter(themes__isnull=True)),
    ]
    result = []
    for label, select in panels:
        items, total = [], 0
        for model in registry.models():
            qs = select(model.objects.all()).distinct()
            total += qs.count()
            opts = model._meta
            for record in qs.order_by("-updated")[:SHOWN]:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
                items.append({"record": record, "url": url, "type": opts.verbose_name})
        result.append({"label": label, "total": total, "items": items[:SHOWN]})
    return result
