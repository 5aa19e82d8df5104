"""Search at scale: the words of titles for spelling suggestions, and title-only
full-text indexes that find the records whose title matches among many matches.

Both are SQL the models cannot declare: triggers, and indexes on expressions that
research.search builds with ``SearchVector(*RecordType.title_fields, config="english")``
(an index serves a query only if the expressions are the same: keep them in step).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.operations
from django.db import migrations, models

# Table and the columns whose words feed SearchWord (the search's title fields).
WORD_SOURCES = {
    "agreements_agreement": ("title", "short_title", "symbol"),
    "norms_normframework": ("title", "short_title", "symbol"),
    "norms_norm": ("title",),
    "bodies_body": ("title", "acronym"),
    "glossary_glossaryterm": ("title", "aliases"),
    "reference_theme": ("name",),
}
# Table, index name and the title fields of its record type (core.registry title_fields).
TITLE_VECTORS = {
    "agreements_agreement": ("search_agreement_title_idx", ("title", "short_title", "symbol")),
    "norms_normframework": ("search_framework_title_idx", ("title", "short_title", "symbol")),
    "norms_norm": ("search_norm_title_idx", ("title",)),
    "bodies_body": ("search_body_title_idx", ("title", "acronym")),
    "glossary_glossaryterm": ("search_term_title_idx", ("title",)),
}

EVENTS = ("INSERT", "UPDATE")

WORDS_OF = """
    SELECT DISTINCT word
    FROM {rows} AS row_
    CROSS JOIN LATERAL unnest({columns}) AS col
    CROSS JOIN LATERAL regexp_split_to_table(
        lower(coalesce(to_jsonb(row_) ->> col, '')), '[^[:alpha:]]+'
    ) AS word
    WHERE length(word) >= 3
"""

FUNCTION = f"""
CREATE OR REPLACE FUNCTION research_add_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV names the columns; new_rows holds the rows the statement wrote.
    INSERT INTO research_searchword (word)
    {WORDS_OF.format(rows="new_rows", columns="TG_ARGV")}
    ON CONFLICT (word) DO NOTHING;
    RETURN NULL;
END
$$;
"""


def array(columns: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{c}'" for c in columns) + "]::text[]"


def title_vector(columns: tuple[str, ...]) -> str:
    # Exactly what SearchVector(*columns, config="english") compiles to.
    joined = " || ' ' || ".join(f'COALESCE("{c}", \'\')' for c in columns)
    return f"to_tsvector('english'::regconfig, {joined})"


def one_table(table: str, columns: tuple[str, ...], index: str) -> tuple[list[str], list[str]]:
    """(forwards, backwards) SQL for a record table added later (0002 on): its triggers,
    the words it already holds, its title-only index; as ``forwards_sql`` does for each
    table above."""
    forwards = [
        f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION research_add_search_words({', '.join(columns)});"
        for event in EVENTS
    ]
    forwards.append(
        "INSERT INTO research_searchword (word) "
        + WORDS_OF.format(rows=table, columns=array(columns))
        + " ON CONFLICT (word) DO NOTHING;"
    )
    forwards.append(
        f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({title_vector(columns)});"
    )
    backwards = [f"DROP INDEX IF EXISTS {index};"] + [
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event.lower()} ON {table};"
        for event in EVENTS
    ]
    return forwards, backwards


def forwards_sql() -> list[str]:
    sql = [FUNCTION]
    for table, columns in WORD_SOURCES.items():
        # Statement-level triggers (one per event, as transition tables require): a bulk
        # insert of 5,000 rows runs one.
        for event in EVENTS:
            sql.append(
                f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
                "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION research_add_search_words({', '.join(columns)});"
            )
        sql.append(
            "INSERT INTO research_searchword (word) "
            + WORDS_OF.format(rows=table, columns=array(columns))
            + " ON CONFLICT (word) DO NOTHING;"
        )
    for table, (index, columns) in TITLE_VECTORS.items():
        sql.append(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({title_vector(columns)});"
        )
    return sql


def backwards_sql() -> list[str]:
    sql = [f"DROP INDEX IF EXISTS {index};" for index, _ in TITLE_VECTORS.values()]
    sql += [
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event.lower()} ON {table};"
        for table in WORD_SOURCES
        for event in EVENTS
    ]
    return [*sql, "DROP FUNCTION IF EXISTS research_add_search_words();"]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agreements", "0002_initial"),
        ("bodies", "0002_initial"),
        ("glossary", "0002_initial"),
        ("norms", "0002_initial"),
        ("reference", "0002_source_theme_history"),
    ]

    operations = [
        django.contrib.postgres.operations.TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.TextField(primary_key=True, serialize=False))],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gist_trgm_ops"),
                        name="searchword_trgm_idx",
                    )
                ],
            },
        ),
        migrations.RunSQL(forwards_sql(), backwards_sql()),
    ]
