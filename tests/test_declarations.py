"""Each record type is declared once (its model's ``public_fields``); exports, the API, the
import resource, the /data/ page and the data-file documentation all follow it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from core.exports import COMMON_COLUMNS
from core.registry import registry
from editorial.resources import resource_for

# The format of the data files: data-format.md, and a file per family added since
# (data-format-incidents.md, data-format-positions.md).
DOC = "\n".join(
    path.read_text()
    for path in sorted((Path(__file__).resolve().parent.parent / "docs").glob("data-format*.md"))
)


def test_every_record_type_declares_its_fields_and_they_exist():
    assert len(registry) >= 5
    for record_type in registry:
        assert record_type.public_fields, record_type.key
        assert [f.name for f in record_type.fields()] == list(record_type.public_fields)


def test_the_data_file_documentation_names_every_field_and_choice():
    for record_type in registry:
        for field in record_type.fields():
            if field.name == "framework":
                continue  # a norm is written inside its framework's file
            assert re.search(rf"^{field.name} = ", DOC, re.M), (record_type.key, field.name)
            for value, _label in field.choices or ():
                assert value in DOC, (record_type.key, field.name, value)


def test_the_import_resource_has_every_public_field():
    for record_type in registry:
        columns = resource_for(record_type.model)._meta.fields
        assert set(record_type.public_fields) <= set(columns), record_type.key


def test_the_api_serializer_has_every_public_field():
    for record_type in registry:
        fields = record_type.serializer.Meta.fields
        assert set(record_type.public_fields) <= set(fields), record_type.key


@pytest.mark.django_db
def test_exports_and_the_data_page_have_the_same_columns(client, graph):
    page = client.get(reverse("exports-doc")).content.decode()
    documented = set(re.findall(r'<th scope="row">([a-z_]+)</th>', page))
    rows = client.get(graph["theme"].get_absolute_url(), {"format": "json"}).json()["results"]
    rows += client.get(reverse("glossary:list"), {"format": "json"}).json()["results"]
    by_type = {row["type"]: set(row) for row in rows}
    assert len(by_type) == len(registry)
    for record_type in registry:
        columns = by_type[record_type.model._meta.model_name]
        assert set(COMMON_COLUMNS) | set(record_type.public_fields) <= columns
        assert columns <= documented, (record_type.key, columns - documented)
