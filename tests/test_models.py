"""Every model of the project reads its rows as Django's own ``Model.from_db`` would."""

import pytest
from django.apps import apps
from django.db.models.signals import pre_init

from core.models import BaseModel
from tests.test_layers import LAYER


def project_models() -> list:
    """The concrete models the project's apps define (not the history tables that
    django-simple-history makes from them)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in LAYER and not model.__name__.startswith("Historical")
    ]


def test_every_model_of_the_project_is_a_base_model():
    assert project_models()
    assert [m._meta.label for m in project_models() if not issubclass(m, BaseModel)] == []


def as_read(instances: list, depth: int = 1) -> list:
    """What a read put on each instance: its attributes and state, and those of the
    records read with it (which may point back to it: one level)."""
    return [
        (
            {k: v for k, v in vars(i).items() if k != "_state"},
            i._state.adding,
            i._state.db,
            depth and {name: as_read([r], depth - 1) for name, r in i._state.fields_cache.items()},
        )
        for i in instances
        if i is not None
    ]


def reads(model) -> dict:
    """A model's rows read whole, with a column left out, with only the key, and with the
    records its foreign keys point to."""
    rows = model._base_manager.order_by("pk")
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    foreign = [f.name for f in concrete if f.is_relation]
    queries = {"whole": rows, "key only": rows.only("pk")}
    if concrete:
        queries["one column left out"] = rows.defer(concrete[0].name)
    if foreign:
        queries["with its foreign keys"] = rows.select_related(*foreign)
    return {name: as_read(query[:20]) for name, query in queries.items()}


@pytest.mark.django_db
def test_rows_read_as_django_reads_them(graph):
    compared = 0
    for model in project_models():
        fast = reads(model)

        # Django's Model.from_db runs (BaseModel steps aside while a receiver listens).
        def listening(**kwargs):
            pass

        pre_init.connect(listening)
        try:
            djangos = reads(model)
        finally:
            pre_init.disconnect(listening)
        assert fast == djangos, model._meta.label
        compared += bool(fast["whole"])
    # The graph has rows of most models: the comparison is not of empty lists.
    assert compared >= len(project_models()) - 3


@pytest.mark.django_db
def test_a_receiver_of_model_signals_still_hears_every_read(graph):
    heard = []

    def listening(sender, instance, **kwargs):
        heard.append(instance)

    from django.db.models.signals import post_init

    from agreements.models import Participation

    post_init.connect(listening, sender=Participation)
    try:
        read = list(Participation.objects.all())
    finally:
        post_init.disconnect(listening, sender=Participation)
    assert read and heard == read
