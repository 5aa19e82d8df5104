"""Every published record in one table for search to rank (research.models.SearchEntry),
kept by triggers on each record table: a search is then one short statement, not a
union of one per type that PostgreSQL took longer to plan than to run ("cyber" on the
shipped content: 2.1 ms against 5.4).

The triggers are statement-level, with the rows the statement wrote (transition
tables), so that a bulk write of thousands of rows runs each once; the table is filled
here from the records already published.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


# Each record type's key, table, title fields (its names: a query equal to one names the
# record) and the fields shown for its name before the title.
TYPES = {
    "framework": ("norms_normframework", ("title", "short_title", "symbol"), ("short_title",)),
    "norm": ("norms_norm", ("title",), ()),
    "agreement": ("agreements_agreement", ("title", "short_title", "symbol"), ("short_title",)),
    "body": ("bodies_body", ("title", "acronym"), ("acronym",)),
    "term": ("glossary_glossaryterm", ("title",), ()),
    "incident": ("incidents_incident", ("title", "short_title"), ("short_title",)),
    "response": ("incidents_response", ("title",), ()),
    "position": ("positions_nationalposition", ("title", "symbol"), ()),
    "profile": ("profiles_countryprofile", ("title",), ()),
    "path": ("paths_learningpath", ("title",), ()),
}
# The translated languages and their text-search configurations (core.models.TRANSLATED_SEARCH).
TRANSLATED = {"fr": "french", "es": "spanish"}
COLUMNS = "kind, record_id, search_vector, titles, titles_fr, titles_es, names, sort, name"


def values(kind: str, names: tuple, shown: tuple, row: str) -> str:
    """The entry of a record row (aliased ``row``), as research.search reads it."""
    translated = [
        f"{row}.title_vector || to_tsvector('{config}'::regconfig, "
        f"COALESCE({row}.translations -> '{code}' ->> 'title', ''))"
        for code, config in TRANSLATED.items()
    ]
    upper = ", ".join(f"upper({row}.{field})" for field in names)
    name = ", ".join([*(f"NULLIF({row}.{field}, '')" for field in shown), f"{row}.title"])
    return (
        f"'{kind}', {row}.id, {row}.search_vector, {row}.title_vector, {', '.join(translated)}, "
        f"ARRAY[{upper}]::text[], {row}.title, COALESCE({name})"
    )


# A norm is public only while its framework is (NormQuerySet.published).
PUBLIC = {
    "norm": "EXISTS (SELECT FROM norms_normframework AS framework"
    " WHERE framework.id = {row}.framework_id AND framework.status = 'published')",
}


def public(kind: str, row: str) -> str:
    """The condition under which a record row (aliased ``row``) is public."""
    condition = f"{row}.status = 'published'"
    if kind in PUBLIC:
        condition += " AND " + PUBLIC[kind].format(row=row)
    return condition


def insert(kind: str, rows: str, row: str, join: str = "") -> str:
    names, shown = TYPES[kind][1:]
    return (
        f"INSERT INTO research_searchentry ({COLUMNS}) "
        f"SELECT {values(kind, names, shown, row)} FROM {rows} {join} "
        f"WHERE {public(kind, row)} ON CONFLICT (kind, record_id) DO NOTHING;"
    )


# When a framework is published, unpublished or deleted, its norms' entries follow.
NORMS_OF_FRAMEWORKS = """
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM research_searchentry AS entry USING norms_norm AS norm, old_rows
        WHERE entry.kind = 'norm' AND entry.record_id = norm.id
        AND norm.framework_id = old_rows.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {insert}
    END IF;
""".format(
    insert=insert("norm", "norms_norm AS norm", "norm", "JOIN new_rows ON new_rows.id = norm.framework_id")
)


def function(kind: str) -> str:
    dependents = NORMS_OF_FRAMEWORKS if kind == "framework" else ""
    return f"""
CREATE OR REPLACE FUNCTION research_search_entries_{kind}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM research_searchentry WHERE kind = '{kind}';
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM research_searchentry AS entry USING old_rows
        WHERE entry.kind = '{kind}' AND entry.record_id = old_rows.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {insert(kind, "new_rows", "new_rows")}
    END IF;{dependents}
    RETURN NULL;
END
$$;
"""


def forwards_sql() -> list[str]:
    sql = []
    for kind, (table, _names, _shown) in TYPES.items():
        sql.append(function(kind))
        execute = f"FOR EACH STATEMENT EXECUTE FUNCTION research_search_entries_{kind}()"
        sql += [
            f"CREATE TRIGGER {table}_search_entries_insert AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows {execute};",
            f"CREATE TRIGGER {table}_search_entries_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {execute};",
            f"CREATE TRIGGER {table}_search_entries_delete AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows {execute};",
            f"CREATE TRIGGER {table}_search_entries_truncate AFTER TRUNCATE ON {table} {execute};",
        ]
        sql.append(insert(kind, f"{table} AS row_", "row_"))
    return [*sql, "ANALYZE research_searchentry;"]


def backwards_sql() -> list[str]:
    sql = []
    for kind, (table, _names, _shown) in TYPES.items():
        sql += [
            f"DROP TRIGGER IF EXISTS {table}_search_entries_{event} ON {table};"
            for event in ("insert", "update", "delete", "truncate")
        ]
        sql.append(f"DROP FUNCTION IF EXISTS research_search_entries_{kind}();")
    return sql


class Migration(migrations.Migration):

    dependencies = [
        ('research', '0006_stored_title_vectors'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('pk', models.CompositePrimaryKey('kind', 'record_id', blank=True, editable=False, primary_key=True, serialize=False)),
                ('kind', models.TextField()),
                ('record_id', models.BigIntegerField()),
                ('search_vector', django.contrib.postgres.search.SearchVectorField()),
                ('titles', django.contrib.postgres.search.SearchVectorField()),
                ('titles_fr', django.contrib.postgres.search.SearchVectorField()),
                ('titles_es', django.contrib.postgres.search.SearchVectorField()),
                ('names', django.contrib.postgres.fields.ArrayField(base_field=models.TextField())),
                ('sort', models.TextField()),
                ('name', models.TextField()),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='searchentry_search_idx'), django.contrib.postgres.indexes.GinIndex(fields=['titles'], name='searchentry_titles_idx')],
            },
        ),
        migrations.RunSQL(forwards_sql(), backwards_sql()),
    ]
